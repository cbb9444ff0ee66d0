-- wrk script: POST varied Chinese submissions to /api/v1/items.
-- Each thread builds its requests once at start (a few thousand distinct bodies) and cycles through them,
-- so that the load generator's own per-request work is as small for this route as for a plain GET.
local texts = {
  "楼下烧烤店每天营业到凌晨两点，噪音很大，老人孩子都睡不好",
  "小区车棚最近连续丢了三辆电动车，希望加强夜间巡查",
  "学校门口早高峰乱停车严重，孩子过马路很危险",
  "家里老人接到自称公检法的电话要求转账，希望多做防诈宣传",
  "邻居在楼道堆放杂物，多次沟通无果，请求民警调解",
  "孩子出生后办理落户需要哪些材料，跑了两次没办成",
  "十字路口红绿灯时间太短，老人过马路来不及",
  "窗口民警办事很耐心，专门来表扬一下",
  "河边步道夜里有人聚集喝酒，希望加强巡逻",
  "单元门禁坏了一个月，外来人员随意进出",
}
local categories = {"noise", "theft", "traffic", "fraud", "dispute", "household", "traffic", "conduct", "patrol", "theft"}
local kinds = {"complaint", "help", "opinion", "tip_off", "help", "opinion", "opinion", "praise", "opinion", "complaint"}
local places = {"S01-O1-C1", "S01-O1-C2", "S01-O2-C1", "S02-O1-C1", "S02-O2-C2", "S03-O1-C1", "S03-O2-C2"}
local POOL = 4096
local threads = 0
local requests = {}
local next_request = 0

setup = function(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

init = function(args)
  local first = (thread_number or 1) * 1000000
  for n = 1, POOL do
    local serial = first + n
    local i = (serial % #texts) + 1
    local body = string.format(
      '{"kind":"%s","category":"%s","text":"%s（第%d条）","place":"%s","contact":{"phone":"138%08d"}}',
      kinds[i], categories[i], texts[i], serial, places[(serial % #places) + 1], serial % 100000000)
    requests[n] = wrk.format("POST", "/api/v1/items", {["Content-Type"] = "application/json"}, body)
  end
end

request = function()
  next_request = next_request % POOL + 1
  return requests[next_request]
end
