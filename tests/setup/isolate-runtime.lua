-- Each spec file loads its own copy of the roblox-ts runtime while _G is shared by the peer;
-- the runtime registers itself in _G under its script, so earlier copies are cleared first.
for key in pairs(_G) do
	if typeof(key) == "Instance" then
		_G[key] = nil
	end
end
return nil
