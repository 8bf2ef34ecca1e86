using System.Text;
using WgIsolate.Datapath.Interop;

namespace WgIsolate.Datapath.Namespaces;

/// <summary>
/// Sysctls of one network namespace. /proc/sys/net is resolved against the calling thread's namespace, so every
/// access happens on a thread switched into it.
/// </summary>
public static class Sysctl
{
    private const int OWrOnly = 1;

    /// <summary>"/proc/sys/net/ipv4/ip_unprivileged_port_start" for "net.ipv4.ip_unprivileged_port_start".</summary>
    public static string PathOf(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains('/') || key.Contains("..") || key.StartsWith('.') || key.EndsWith('.'))
        {
            throw new ArgumentException($"sysctl key '{key}' is invalid", nameof(key));
        }

        return "/proc/sys/" + key.Replace('.', '/');
    }

    /// <summary>Per-interface key (net.ipv6.conf.IF.SETTING): interface names may contain dots, so no dotted form.</summary>
    public static string InterfacePathOf(string ipVersion, string interfaceName, string setting)
    {
        if (ipVersion is not ("ipv4" or "ipv6") || interfaceName.Contains('/') || interfaceName is "" or "." or ".." || setting.Contains('/'))
        {
            throw new ArgumentException($"sysctl net.{ipVersion}.conf.{interfaceName}.{setting} is invalid");
        }

        return $"/proc/sys/net/{ipVersion}/conf/{interfaceName}/{setting}";
    }

    public static void Write(NetnsHandle netns, string path, string value) =>
        NetnsThread.Run(netns, () => WriteHere(path, value));

    public static string Read(NetnsHandle netns, string path) => NetnsThread.Run(netns, () => ReadHere(path));

    /// <summary>Writes on the calling thread, for callers already inside the namespace.</summary>
    public static void WriteHere(string path, string value)
    {
        using var file = FileCalls.Open(path, OWrOnly);
        FileCalls.WriteAll(file, Encoding.ASCII.GetBytes(value + "\n"), path);
    }

    public static string ReadHere(string path)
    {
        using var file = FileCalls.Open(path, 0);
        return Encoding.ASCII.GetString(FileCalls.ReadToEnd(file, path)).Trim();
    }
}
