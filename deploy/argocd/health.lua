-- Argo CD health check for cloud-data-operator's kinds (HadoopEcoCluster, KafkaCluster, KafkaConfigGroup): all follow the same
-- status conventions, so one script serves every key in health-checks.yaml.
-- Reads what the operator writes: the kstatus conditions (Ready, Reconciling, Stalled),
-- status.observedGeneration and status.phase. Lua 5.1 subset (Argo CD runs gopher-lua).
local hs = {}
local status = obj.status
local meta = obj.metadata or {}

local function condition(kind)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

-- Paused: the operator makes no cloud calls, so nothing will progress until a human acts.
local annotations = meta.annotations or {}
if annotations["cdo.dev/paused"] == "true" or (status ~= nil and status.phase == "Paused") then
  hs.status = "Suspended"
  hs.message = "Paused: cdo.dev/paused is \"true\"; the operator makes no cloud calls until it is removed"
  return hs
end

if meta.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: waiting for the cloud to remove the cluster before the finalizer goes"
  return hs
end

if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

-- A spec change the operator has not acted on yet: whatever the conditions say is about an older spec.
if meta.generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < meta.generation then
  hs.status = "Progressing"
  hs.message = string.format("Waiting for the operator to observe generation %d (observed %d)", meta.generation, status.observedGeneration)
  return hs
end

local stalled = condition("Stalled")
if isTrue(stalled) or status.phase == "Failed" then
  hs.status = "Degraded"
  if stalled ~= nil and stalled.message ~= nil and stalled.message ~= "" then
    hs.message = stalled.message
  else
    hs.message = "Phase is Failed"
  end
  return hs
end

local ready = condition("Ready")
-- A job cluster that ended by its terminationPolicy did what it was for.
if status.phase == "Completed" then
  hs.status = "Healthy"
  hs.message = (ready ~= nil and ready.message) or "The job cluster completed"
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  return hs
end

-- Creating, Scaling, Upgrading, Deleting, Drifted, waiting on a busy cloud: work is under way.
local reconciling = condition("Reconciling")
hs.status = "Progressing"
if isTrue(reconciling) and reconciling.message ~= nil and reconciling.message ~= "" then
  hs.message = reconciling.message
elseif ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  hs.message = ready.message
else
  hs.message = "Phase " .. (status.phase or "unknown")
end
return hs
