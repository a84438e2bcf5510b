print("start")
x = "count: " + 5
