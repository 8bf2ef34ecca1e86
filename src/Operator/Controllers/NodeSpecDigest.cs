using System.Security.Cryptography;
using System.Text.Json;
using k8s.Models;
using WgIsolate.Core.Api;
using WgIsolate.Operator.Kube;

namespace WgIsolate.Operator.Controllers;

/// <summary>
/// IsolatedNode specs hold every peer of every interface on the node (100 interfaces × 100 peers at the issue's
/// scale, megabytes each), which the operator itself wrote. The cache keeps each spec without its peers plus a
/// digest of the whole spec, enough to tell whether a planned spec is already in the API.
/// </summary>
public static class NodeSpecDigest
{
    /// <summary>Only on cached copies, never sent to the API (spec writes carry nothing but the spec).</summary>
    public const string Annotation = "wgisolate.io/cached-spec-sha256";

    /// <summary>SHA-256 of the spec's JSON, serialised straight into the hash: a 0.8 MB spec as a string and again as
    /// bytes, for every write and every watch event, was most of the operator's large-object garbage.</summary>
    public static string Of(IsolatedNodeSpec spec)
    {
        using var sha256 = SHA256.Create();
        using (var hashing = new CryptoStream(Stream.Null, sha256, CryptoStreamMode.Write))
        {
            JsonSerializer.Serialize(hashing, spec, KubeJson.Options);
            hashing.FlushFinalBlock();
        }

        return Convert.ToHexStringLower(sha256.Hash!);
    }

    /// <summary>The digest of a cached IsolatedNode's spec; computed for copies that were not trimmed.</summary>
    public static string Of(V1Alpha1IsolatedNode node) =>
        node.Metadata.Annotations?.TryGetValue(Annotation, out var digest) == true ? digest : Of(node.Spec);

    /// <summary>The informer's transform: the spec's interfaces without their peers, and the whole spec's digest.</summary>
    public static V1Alpha1IsolatedNode Trim(V1Alpha1IsolatedNode node) => new()
    {
        ApiVersion = node.ApiVersion,
        Kind = node.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = node.Metadata.Name,
            Uid = node.Metadata.Uid,
            ResourceVersion = node.Metadata.ResourceVersion,
            Generation = node.Metadata.Generation,
            Annotations = new Dictionary<string, string> { [Annotation] = Of(node.Spec) },
        },
        Spec = new IsolatedNodeSpec
        {
            ClusterPrefix = node.Spec.ClusterPrefix,
            Interfaces = [.. node.Spec.Interfaces.Select(i => new NodeInterfaceSpec
            {
                App = i.App,
                AppId = i.AppId,
                Instance = i.Instance,
                Netns = i.Netns,
                InterfaceName = i.InterfaceName,
                Address = i.Address,
                ListenPort = i.ListenPort,
            })],
        },
        Status = node.Status,
    };
}
