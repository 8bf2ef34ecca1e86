using System.Text;

namespace WgIsolate.Datapath.Convergence;

/// <summary>What the kernel accepts as an interface name (dev_valid_name): IFNAMSIZ is 16 with the NUL.</summary>
public static class LinkNameRules
{
    public const int MaxBytes = 15;

    public static bool IsValid(string name) =>
        name.Length > 0
        && Encoding.UTF8.GetByteCount(name) <= MaxBytes
        && name is not "." and not ".."
        && !name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c));
}
