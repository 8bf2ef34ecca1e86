namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>The kernel's dev_valid_name: at most 15 bytes (IFNAMSIZ 16 with NUL), no '/', ':' or whitespace.</summary>
public static class InterfaceName
{
    public const int MaxLength = 15;

    public static void Validate(string name)
    {
        var problem = name switch
        {
            "" => "is empty",
            "." or ".." => "is reserved",
            _ when System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength => $"is longer than {MaxLength} bytes",
            _ when name.Any(c => c == '/' || c == ':' || c == '\0' || char.IsWhiteSpace(c)) => "contains '/', ':' or whitespace",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"interface name '{name}' {problem}", nameof(name));
        }
    }
}
