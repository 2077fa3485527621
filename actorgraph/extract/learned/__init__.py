"""A learned relation extractor: candidates from the rule pipeline's actors, parse features, a linear model.

Research code, not wired into the default extractor: `candidates` builds the argument pairs of a sentence,
`features` describes each from the parse (the one feature path shared by training and prediction), `model`
stores and applies a linear classifier with numpy only (JSON + npz, no pickle), `train` fits it with
scikit-learn, `gold` aligns annotations to candidates for training.
"""
