using WgIsolate.KernelWireGuardVm.Probe;

// `probe setup` builds a link in a namespace, the init cross-checks it with ip, `probe teardown` removes it;
// `probe apps` runs the agent's scenarios through the converger.
var ok = args.FirstOrDefault() switch
{
    "setup" => Scenarios.Setup(),
    "teardown" => Scenarios.Teardown(),
    "apps" => AppScenarios.RunAll(),
    var other => throw new ArgumentException($"usage: probe setup|teardown|apps (got '{other}')"),
};
return ok ? 0 : 1;
