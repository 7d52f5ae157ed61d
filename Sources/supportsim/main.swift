print("supportsim")
