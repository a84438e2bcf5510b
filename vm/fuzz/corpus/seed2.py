class A:
    def f(self):
        return [i for i in range(3)]
print(A().f())
