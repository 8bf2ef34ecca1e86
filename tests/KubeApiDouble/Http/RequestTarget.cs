using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Http;

/// <summary>What a resource URL names: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/status]]</c> or the same under
/// <c>/apis/{group}/{version}</c>.</summary>
public sealed record RequestTarget(ResourceKind Kind, string? Namespace, string? Name, bool Status)
{
    public string Resource => Status ? Kind.Plural + "/status" : Kind.Plural;

    public static RequestTarget? Parse(string[] segments, KindRegistry kinds)
    {
        string group, version;
        string[] rest;
        if (segments is ["api", var coreVersion, .. var coreRest])
        {
            (group, version, rest) = ("", coreVersion, coreRest);
        }
        else if (segments is ["apis", var g, var v, .. var groupRest])
        {
            (group, version, rest) = (g, v, groupRest);
        }
        else
        {
            return null;
        }
        // "/api/v1/namespaces/x" is the Namespace x itself; "/api/v1/namespaces/x/pods" is a namespaced collection.
        var (ns, tail) = rest is ["namespaces", var n, _, ..] ? (n, rest[2..]) : ((string?)null, rest);
        if (tail.Length is 0 or > 3)
        {
            return null;
        }
        var kind = kinds.Find(group, version, tail[0]);
        if (kind is null || (ns is not null && !kind.Namespaced))
        {
            return null;
        }
        var status = tail.Length == 3;
        if (status && (tail[2] != "status" || !kind.HasStatusSubresource))
        {
            return null;
        }
        return new RequestTarget(kind, ns, tail.Length >= 2 ? tail[1] : null, status);
    }
}
