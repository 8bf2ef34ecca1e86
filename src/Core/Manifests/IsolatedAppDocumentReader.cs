using k8s.Models;
using WgIsolate.Core.Api;
using YamlDotNet.RepresentationModel;

namespace WgIsolate.Core.Manifests;

/// <summary>Maps one YAML document onto an <see cref="V1Alpha1IsolatedApp"/>, field by field, strictly.</summary>
internal static class IsolatedAppDocumentReader
{
    public static V1Alpha1IsolatedApp Read(YamlNode root, YamlShapeReader r)
    {
        var app = new V1Alpha1IsolatedApp();
        var apiVersion = (string?)null;
        var kind = (string?)null;
        r.Mapping(root, "", new Dictionary<string, Action<YamlNode, string>>
        {
            ["apiVersion"] = (n, p) => apiVersion = r.String(n, p),
            ["kind"] = (n, p) => kind = r.String(n, p),
            ["metadata"] = (n, p) => ReadMetadata(n, p, app.Metadata, r),
            ["spec"] = (n, p) => app.Spec = ReadSpec(n, p, r),
            ["status"] = (n, p) => r.Error(n, p, "is written by WgIsolate; leave it out of manifests"),
        });
        if (apiVersion != ApiGroup.ApiVersion)
        {
            r.Error(root, "apiVersion", apiVersion is null ? $"is required: {ApiGroup.ApiVersion}" : $"\"{apiVersion}\" is not {ApiGroup.ApiVersion}");
        }

        if (kind != V1Alpha1IsolatedApp.KubeKind)
        {
            r.Error(root, "kind", kind is null ? $"is required: {V1Alpha1IsolatedApp.KubeKind}" : $"\"{kind}\" is not {V1Alpha1IsolatedApp.KubeKind}");
        }

        return app;
    }

    private static void ReadMetadata(YamlNode node, string path, V1ObjectMeta meta, YamlShapeReader r) =>
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["name"] = (n, p) => meta.Name = r.String(n, p),
            ["namespace"] = (n, p) => meta.NamespaceProperty = r.String(n, p),
            ["labels"] = (n, p) => meta.Labels = r.StringMap(n, p),
            ["annotations"] = (n, p) => meta.Annotations = r.StringMap(n, p),
        });

    private static IsolatedAppSpec ReadSpec(YamlNode node, string path, YamlShapeReader r)
    {
        var spec = new IsolatedAppSpec();
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["selector"] = (n, p) => spec.Selector = ReadSelector(n, p, r),
            ["peers"] = (n, p) => spec.Peers = r.Sequence(n, p, (item, ip) => ReadPeer(item, ip, r)),
            ["listenPort"] = (n, p) => spec.ListenPort = r.Integer(n, p),
            ["presharedKey"] = (n, p) => spec.PresharedKey = r.Boolean(n, p),
            ["persistentKeepalive"] = (n, p) => spec.PersistentKeepalive = r.Integer(n, p),
            ["egress"] = (n, p) => spec.Egress = ReadEgress(n, p, r),
            ["firewall"] = (n, p) =>
            {
                var firewall = new FirewallSpec();
                r.Mapping(n, p, new Dictionary<string, Action<YamlNode, string>> { ["nftables"] = (fn, fp) => firewall.Nftables = r.String(fn, fp) });
                spec.Firewall = firewall;
            },
            ["ingress"] = (n, p) => spec.Ingress = r.Sequence(n, p, (item, ip) => ReadIngress(item, ip, r)),
        });
        return spec;
    }

    private static PeerReference ReadPeer(YamlNode node, string path, YamlShapeReader r)
    {
        var peer = new PeerReference();
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["name"] = (n, p) => peer.Name = r.String(n, p) ?? "",
            ["namespace"] = (n, p) => peer.Namespace = r.String(n, p),
        });
        return peer;
    }

    private static EgressSpec ReadEgress(YamlNode node, string path, YamlShapeReader r)
    {
        var egress = new EgressSpec();
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["veth"] = (n, p) => egress.Veth = r.Boolean(n, p) ?? false,
            ["ipv4"] = (n, p) => egress.Ipv4 = r.Boolean(n, p) ?? false,
            ["routes"] = (n, p) => egress.Routes = r.Sequence(n, p, r.String),
            ["serverNetwork"] = (n, p) => egress.ServerNetwork = r.String(n, p),
            ["nat"] = (n, p) => egress.Nat = r.Boolean(n, p) ?? false,
        });
        return egress;
    }

    private static IngressSpec ReadIngress(YamlNode node, string path, YamlShapeReader r)
    {
        var ingress = new IngressSpec();
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["port"] = (n, p) => ingress.Port = r.Integer(n, p) ?? 0,
            ["hostPort"] = (n, p) => ingress.HostPort = r.Integer(n, p) ?? 0,
            ["protocol"] = (n, p) => ingress.Protocol = r.String(n, p) ?? "",
        });
        return ingress;
    }

    private static V1LabelSelector ReadSelector(YamlNode node, string path, YamlShapeReader r)
    {
        var selector = new V1LabelSelector();
        r.Mapping(node, path, new Dictionary<string, Action<YamlNode, string>>
        {
            ["matchLabels"] = (n, p) => selector.MatchLabels = r.StringMap(n, p),
            ["matchExpressions"] = (n, p) => selector.MatchExpressions = r.Sequence(n, p, (item, ip) =>
            {
                var requirement = new V1LabelSelectorRequirement();
                r.Mapping(item, ip, new Dictionary<string, Action<YamlNode, string>>
                {
                    ["key"] = (kn, kp) => requirement.Key = r.String(kn, kp),
                    ["operator"] = (on, op) => requirement.OperatorProperty = r.String(on, op),
                    ["values"] = (vn, vp) => requirement.Values = r.Sequence(vn, vp, r.String),
                });
                return requirement;
            }),
        });
        return selector;
    }
}
