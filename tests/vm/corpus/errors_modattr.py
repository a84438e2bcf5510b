import mod_helper
mod_helper.missing()
