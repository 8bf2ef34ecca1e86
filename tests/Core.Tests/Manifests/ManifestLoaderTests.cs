using CsCheck;
using WgIsolate.Core.Manifests;
using WgIsolate.Core.Validation;

namespace WgIsolate.Core.Tests.Manifests;

public class ManifestLoaderTests
{
    private const string Header = "apiVersion: wgisolate.io/v1alpha1\nkind: IsolatedApp\nmetadata: {name: receiver, namespace: demo}\n";

    private static ManifestSet Load(string text, string source = "apps/receiver.yaml") =>
        ManifestLoader.Load([(source, text)], ValidationOptions.HostMode);

    [Theory]
    [InlineData("spec:\n  egress:\n    veth: true\n    routes: [default, \"2001:db8::/32\", \"10.0.0.300/8\"]\n",
        "apps/receiver.yaml (document 1, line 7) demo/receiver: spec.egress.routes[2]: \"10.0.0.300/8\" is not a CIDR")]
    [InlineData("spec:\n  listenPort: abc\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.listenPort: expected an integer, got \"abc\"")]
    [InlineData("spec:\n  listenPort: \"51820\"\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.listenPort: expected an integer, got \"51820\"")]
    [InlineData("spec:\n  listenPort: 70000\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.listenPort: 70000 is outside 1..65535")]
    [InlineData("spec:\n  egres: {veth: true}\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.egres: unknown field (known here: selector, peers, listenPort, presharedKey, persistentKeepalive, egress, firewall, ingress)")]
    [InlineData("spec:\n  peers: [{name: receiver}]\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.peers[0].name: an app cannot list itself as a peer")]
    [InlineData("spec:\n  egress: {veth: true, routes: [default4]}\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.egress.routes[0]: \"default4\" is an IPv4 route and needs spec.egress.ipv4: true")]
    [InlineData("spec:\n  egress: {nat: true}\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.egress.nat: needs spec.egress.veth: true (egress goes through the veth pair)")]
    [InlineData("spec:\n  egress: {veth: true, serverNetwork: \"fd00:1::5/64\"}\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.egress.serverNetwork: \"fd00:1::5/64\" has host bits set; write the network, e.g. \"fd00:1::/64\"")]
    [InlineData("spec:\n  ingress:\n    - {port: 1234, hostPort: 1234, protocol: SCTP}\n",
        "apps/receiver.yaml (document 1, line 6) demo/receiver: spec.ingress[0].protocol: \"SCTP\" is not TCP or UDP")]
    [InlineData("spec:\n  presharedKey: yes\n",
        "apps/receiver.yaml (document 1, line 5) demo/receiver: spec.presharedKey: expected true or false, got \"yes\"")]
    [InlineData("status: {}\n",
        "apps/receiver.yaml (document 1, line 4) demo/receiver: status: is written by WgIsolate; leave it out of manifests")]
    public void Load_BadField_ReportsFileDocumentLineObjectAndPath(string body, string expected)
    {
        var set = Load(Header + body);

        Assert.False(set.IsValid);
        Assert.Empty(set.Apps);
        Assert.Equal([expected], set.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_WrongKindAndMissingName_AreEachReported()
    {
        var set = Load("apiVersion: v1\nkind: Pod\nmetadata: {}\n");

        Assert.Equal(
            [
                "apps/receiver.yaml (document 1, line 1) (unnamed): apiVersion: \"v1\" is not wgisolate.io/v1alpha1",
                "apps/receiver.yaml (document 1, line 1) (unnamed): kind: \"Pod\" is not IsolatedApp",
                "apps/receiver.yaml (document 1) (unnamed): metadata.name: is required",
            ],
            set.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Load_SeveralDocuments_ReadsEachAndNumbersThem()
    {
        var set = Load(Header + "spec: {peers: [{name: sender}]}\n---\n" + Header.Replace("receiver", "sender") + "spec: {peers: [{name: receiver}]}\n---\n");

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Equal([("demo/receiver", 1), ("demo/sender", 2)], set.Apps.Select(a => (a.Key, a.Document)));
    }

    [Fact]
    public void Load_OneBadAppAmongGood_AcceptsNothingAndListsEveryProblem()
    {
        var good = Header + "spec: {listenPort: 51820}\n";
        var bad = Header.Replace("receiver", "sender") + "spec: {listenPort: 0, persistentKeepalive: -1}\n";

        var set = ManifestLoader.Load([("a.yaml", good), ("b.yaml", bad)], ValidationOptions.HostMode);

        Assert.Empty(set.Apps);
        Assert.Equal(["spec.listenPort", "spec.persistentKeepalive"], set.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Load_SameAppInTwoFiles_IsADuplicate()
    {
        var set = ManifestLoader.Load([("a.yaml", Header), ("b.yaml", Header)], ValidationOptions.HostMode);

        Assert.Equal("b.yaml (document 1) demo/receiver: metadata.name: app demo/receiver is defined more than once: a.yaml (document 1) and b.yaml (document 1)",
            Assert.Single(set.Errors).ToString());
    }

    [Fact]
    public void Load_BrokenYaml_IsOneErrorWithItsLine()
    {
        var set = Load(Header + "spec: {peers: [\n");

        Assert.StartsWith("apps/receiver.yaml (document 1, line 5) (file): is not valid YAML", Assert.Single(set.Errors).ToString());
    }

    [Fact]
    public void Load_KubernetesWithoutSelector_IsRefused_HostModeIsNot()
    {
        Assert.True(ManifestLoader.Load([("a.yaml", Header)], ValidationOptions.HostMode).IsValid);
        Assert.Equal("spec.selector", Assert.Single(ManifestLoader.Load([("a.yaml", Header)], ValidationOptions.Kubernetes).Errors).Path);
    }

    [Fact]
    public void Load_EveryExample_IsValidForKubernetes()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Examples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 5, $"expected the examples under {RepoPaths.Examples}");

        var set = ManifestLoader.Load(files.Select(f => (f, File.ReadAllText(f))), ValidationOptions.Kubernetes);

        Assert.True(set.IsValid, string.Join("\n", set.Errors));
        Assert.Contains(set.Apps, a => a.Key == "demo/receiver");
    }

    [Fact]
    public void Load_RandomText_NeverThrows()
    {
        Gen.String.Sample(text =>
        {
            var set = Load(text);
            return set.IsValid ? set.Apps.Count == 0 || set.Apps.All(a => a.App.Metadata.Name is not null) : set.Apps.Count == 0;
        }, iter: 500);
    }
}
