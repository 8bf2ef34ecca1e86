using WgIsolate.Datapath.Namespaces;

namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>
/// Base of every privileged test: requires root, hands out unique namespace names (class tag + random suffix),
/// deletes everything it handed out in Dispose even when the test failed, and then checks thread hygiene: no thread
/// of this process may be left in another network namespace.
/// </summary>
public abstract class KernelTest : IDisposable
{
    private readonly List<string> namespaces = [];
    private readonly List<IDisposable> resources = [];
    private readonly string suffix = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3));

    protected KernelTest()
    {
        PrivilegedEnvironment.RequireRoot();
    }

    /// <summary>Short, unique, and recognisable: "wgit" + role + random hex, e.g. "wgita3f9c01".</summary>
    protected string UniqueName(string role) => $"wgit{role}{suffix}";

    /// <summary>Creates a named netns that Dispose removes again.</summary>
    protected string CreateNamespace(string role)
    {
        var name = UniqueName(role);
        namespaces.Add(name);
        NamedNetworkNamespaces.Create(name);
        return name;
    }

    protected T Track<T>(T resource)
        where T : IDisposable
    {
        resources.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in Enumerable.Reverse(resources))
        {
            resource.Dispose();
        }

        foreach (var name in namespaces)
        {
            NamedNetworkNamespaces.Delete(name);
        }

        ThreadHygiene.AssertEveryThreadInHostNamespace();
        GC.SuppressFinalize(this);
    }
}
