def load(users):
    pass
