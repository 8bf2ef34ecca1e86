namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>The wireguard-go daemons serving a device, found by their command line in /proc.</summary>
public static class WireGuardGoProcesses
{
    public static IReadOnlyList<int> Serving(string device) =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(p => p!.All(char.IsAsciiDigit))
            .Select(p => int.Parse(p!))
            .Where(pid => IsWireGuardGoFor(ReadCmdline(pid), device))
            .ToList();

    /// <summary>Waits for the daemons of a removed device to exit (they notice the TUN going asynchronously).</summary>
    public static IReadOnlyList<int> AfterExitOf(string device)
    {
        for (var i = 0; i < 50 && Serving(device).Count > 0; i++)
        {
            Thread.Sleep(100);
        }

        return Serving(device);
    }

    private static bool IsWireGuardGoFor(string cmdline, string device) =>
        cmdline == $"wireguard-go\0{device}\0" || cmdline.EndsWith($"/wireguard-go\0{device}\0", StringComparison.Ordinal);

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
