"""The text CNN's data handling: clean, then split into words."""
import re


def clean_str(string):
    string = re.sub(r"[^A-Za-z0-9(),!?\'\`]", " ", string)
    string = re.sub(r"\'s", " \'s", string)
    return re.sub(r"\s{2,}", " ", string).strip().lower()


def load_data_and_labels(positive_file, negative_file):
    with open(positive_file) as f:
        positive = [clean_str(line) for line in f if line.strip()]
    with open(negative_file) as f:
        negative = [clean_str(line) for line in f if line.strip()]
    return positive + negative, [[0, 1]] * len(positive) + [[1, 0]] * len(negative)
