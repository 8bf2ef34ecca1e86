namespace WgIsolate.Datapath.PrivilegedTests.Support;

public static class PrivilegedEnvironment
{
    public const string NotOptedInReason =
        "privileged kernel tests are opt-in: set WGISOLATE_PRIVILEGED_TESTS=1 (scripts/test.sh and CI=true do)";

    public static bool OptedIn =>
        Environment.GetEnvironmentVariable("WGISOLATE_PRIVILEGED_TESTS") == "1"
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opted in but not root: a failure, not a skip, so CI cannot silently pass without testing anything.</summary>
    public static void RequireRoot()
    {
        if (Tmds.Linux.LibC.geteuid() != 0)
        {
            Assert.Fail("privileged tests are opted in (WGISOLATE_PRIVILEGED_TESTS=1 or CI=true) but do not run as root " +
                "(euid 0, CAP_SYS_ADMIN + CAP_NET_ADMIN): run them as root or unset the opt-in");
        }
    }
}
