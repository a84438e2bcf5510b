local function run(n)
  local l = {}
  for i = 0, n - 1 do l[#l + 1] = i * 2 end
  local total = 0
  for k = 1, 30 do
    for i = 1, n do total = total + l[i] end
  end
  return total
end
print(run(300000))
