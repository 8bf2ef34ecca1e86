namespace WgIsolate.Datapath.Namespaces;

/// <summary>Names `ip netns` accepts: one path component, not "." or "..", no '/'.</summary>
public static class NetnsName
{
    public static void Validate(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Contains('/') || name.Contains('\0') || name.Length > 255)
        {
            throw new ArgumentException($"network namespace name '{name}' is invalid: it must be one non-empty path component without '/'", nameof(name));
        }
    }
}
