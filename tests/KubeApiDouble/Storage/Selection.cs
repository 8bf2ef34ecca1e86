using System.Text.Json.Nodes;

namespace WgIsolate.KubeApiDouble.Storage;

/// <summary>What a list or watch asks for: a namespace (null: all), a label selector and a field selector.</summary>
public sealed record Selection(string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(JsonObject obj) =>
        (Namespace is null || (string?)obj["metadata"]?["namespace"] == Namespace) && Labels.Matches(obj) && Fields.Matches(obj);
}
