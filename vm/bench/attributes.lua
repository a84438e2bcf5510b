local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({x = x, y = y}, Point) end
function Point:move(dx, dy)
  self.x = self.x + dx
  self.y = self.y + dy
end
local function run(n)
  local p = Point.new(0, 0)
  for i = 0, n - 1 do p:move(1, 2) end
  return p.x + p.y
end
print(run(3000000))
