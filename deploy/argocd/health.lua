-- Argo CD health check for cloud-data-operator's kinds (HadoopEcoCluster, KafkaCluster, KafkaConfigGroup): all follow the same
-- status conventions, so one script serves every key in health-checks.yaml.
-- Reads what the operator writes: the kstatus conditions (Ready, Reconciling, Stalled), ChangesPending,
-- status.observedGeneration, status.phase and status.pendingChanges. Lua 5.1 subset (Argo CD runs gopher-lua).
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

-- The changes the operator intends to make (status.pendingChanges), in words: "Upgrade u-1a2b3c (waits for Approval)".
local function pendingChanges()
  if status == nil or status.pendingChanges == nil then
    return ""
  end
  local parts = {}
  for _, c in ipairs(status.pendingChanges) do
    local part = (c.action or "change") .. " " .. (c.id or "")
    if c.waitingFor ~= nil and c.waitingFor ~= "Nothing" then
      part = part .. " (waits for " .. c.waitingFor .. ")"
    end
    table.insert(parts, part)
  end
  return table.concat(parts, ", ")
end

-- ChangesPending=True: a disruptive change waits for spec.maintenanceWindow or for an approval
-- (changePolicy Manual). Its message names each change, its id and what it waits for.
local function heldMessage(held)
  return "Held (" .. (held.reason or "ChangesPending") .. "): " .. (held.message or "")
end

-- Paused: the operator reads the cloud and changes nothing, so nothing will progress until a human
-- acts. Its status previews the plan: the message names the changes that would follow.
local annotations = meta.annotations or {}
if annotations["cdo.dev/paused"] == "true" or (status ~= nil and status.phase == "Paused") then
  hs.status = "Suspended"
  hs.message = "Paused: cdo.dev/paused is \"true\"; the operator reads the cloud and changes nothing until it is removed"
  local preview = pendingChanges()
  if preview ~= "" then
    hs.message = hs.message .. "; then: " .. preview
  end
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

-- A change held by the spec's own policy (maintenance window, approval) is neither a failure nor
-- progress: the cluster is as ready as it was. Healthy, so sync waves and `argocd app wait --health`
-- go on; the message names what waits (docs/changing-safely.md, "What GitOps tools show").
local held = condition("ChangesPending")
if isTrue(ready) then
  hs.status = "Healthy"
  if isTrue(held) then
    hs.message = heldMessage(held)
  else
    hs.message = ready.message or ""
  end
  return hs
end

-- Creating, Scaling, Upgrading, Deleting, Drifted, waiting on a busy cloud, a change the operator
-- started: work is under way.
local reconciling = condition("Reconciling")
hs.status = "Progressing"
if isTrue(reconciling) and reconciling.message ~= nil and reconciling.message ~= "" then
  hs.message = reconciling.message
elseif ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  hs.message = ready.message
else
  hs.message = "Phase " .. (status.phase or "unknown")
end
if isTrue(held) then
  hs.message = hs.message .. "; " .. heldMessage(held)
end
return hs
