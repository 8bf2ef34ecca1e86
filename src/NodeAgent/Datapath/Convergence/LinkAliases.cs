namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// WgIsolate marks every link it creates (including <c>lo</c> of every namespace it creates) with the alias
/// <c>wgisolate:&lt;owner&gt;</c>. Names alone cannot say whether a namespace or link is ours after a crash;
/// the alias survives moves between namespaces and is what garbage collection keys on.
/// </summary>
public static class LinkAliases
{
    public const string Prefix = "wgisolate:";

    public static string For(string owner) => Prefix + owner;

    public static bool IsManaged(string? alias) => alias is not null && alias.StartsWith(Prefix, StringComparison.Ordinal);

    public static string? OwnerOf(string? alias) => IsManaged(alias) ? alias![Prefix.Length..] : null;
}
