for c in 42:
    pass
