"""A script whose own code raises: its traceback is the user's to read."""
def broken():
    raise ValueError("the script's own mistake")


broken()
