namespace WgIsolate.Datapath.Netlink.Route;

/// <summary>
/// Links WgIsolate creates carry the alias "wgisolate:&lt;owner&gt;" so garbage collection can tell its orphans from
/// links others made.
/// </summary>
public static class OwnerAlias
{
    public const string Prefix = "wgisolate:";

    public static string For(string owner)
    {
        if (string.IsNullOrWhiteSpace(owner))
        {
            throw new ArgumentException("the owner of a link must not be empty", nameof(owner));
        }

        return Prefix + owner;
    }

    /// <summary>The owner, or null when the alias is not one of ours.</summary>
    public static string? OwnerOf(string? alias) =>
        alias is not null && alias.StartsWith(Prefix, StringComparison.Ordinal) && alias.Length > Prefix.Length ? alias[Prefix.Length..] : null;
}
