using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>What the double knows about one served resource: where it lives and which write rules apply.</summary>
/// <param name="Group">Empty for the core group.</param>
/// <param name="TracksGeneration">Whether <c>metadata.generation</c> exists and is bumped on non-metadata, non-status changes
/// (false for ConfigMaps, Secrets, Events, Leases, like the real server).</param>
/// <param name="ResetsStatusOnCreate">Pods and custom resources with a status subresource drop the status sent on create;
/// Nodes keep it (the kubelet registers a node with its status).</param>
/// <param name="RequiresResourceVersionOnUpdate">Custom resources refuse unconditional updates (422), core kinds accept them.</param>
/// <param name="Schema">The CRD's openAPIV3Schema, validated and pruned against on create and update; null for built-in kinds.</param>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatusSubresource,
    bool TracksGeneration,
    bool ResetsStatusOnCreate,
    bool RequiresResourceVersionOnUpdate,
    JsonObject? Schema = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string ListKind => Kind + "List";

    /// <summary>"pods" for the core group, "isolatedapps.wgisolate.io" otherwise: the name Status messages use.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string Key => $"{Group}/{Version}/{Plural}";
}
