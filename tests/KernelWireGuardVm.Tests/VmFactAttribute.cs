namespace WgIsolate.KernelWireGuardVm.Tests;

/// <summary>
/// A fact that boots a VM: opt-in like every privileged test (WGISOLATE_PRIVILEGED_TESTS=1 or CI=true). Once opted in,
/// a missing qemu or kernel package makes the test fail, never skip.
/// </summary>
public sealed class VmFactAttribute : FactAttribute
{
    public VmFactAttribute()
    {
        var optedIn = Environment.GetEnvironmentVariable("WGISOLATE_PRIVILEGED_TESTS") == "1"
            || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!optedIn)
        {
            Skip = "kernel VM tests are opt-in: set WGISOLATE_PRIVILEGED_TESTS=1 (scripts/test.sh and CI=true do)";
        }
    }
}
