# a stored script module imported by exec_hotupdate.py
NAME = "helper"
def double(x):
    return x * 2
