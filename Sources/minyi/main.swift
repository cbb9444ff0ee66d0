print("minyi")
