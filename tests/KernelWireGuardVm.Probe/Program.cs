using WgIsolate.KernelWireGuardVm.Probe;

// `probe setup` builds the link in a namespace, the init cross-checks it with ip, `probe teardown` removes it.
var ok = args.FirstOrDefault() switch
{
    "setup" => Scenarios.Setup(),
    "teardown" => Scenarios.Teardown(),
    var other => throw new ArgumentException($"usage: probe setup|teardown (got '{other}')"),
};
return ok ? 0 : 1;
