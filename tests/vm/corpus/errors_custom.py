class ConfigError(Exception):
    pass
def load(v):
    if v < 0:
        raise ConfigError("negative value: %d" % v)
    return v
print(load(3))
load(-2)
