"""Trains a scikit-learn classifier on iris (a CSV file) and pickles it: what a data scientist does on
their own machine before putting the model on S3.

Usage: train_sklearn.py IRIS_CSV MODEL_FILE
"""

import pickle
import sys

import pandas as pd
from sklearn.linear_model import LogisticRegression

iris = pd.read_csv(sys.argv[1])
features = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
model = LogisticRegression(max_iter=500).fit(iris[features], iris["species"])
with open(sys.argv[2], "wb") as out:
    pickle.dump(model, out)
print("TRAINED %.3f" % model.score(iris[features], iris["species"]))
