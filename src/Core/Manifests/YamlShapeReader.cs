using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WgIsolate.Core.Manifests;

/// <summary>
/// Reads YAML nodes into typed values the way the API server would: unknown fields, wrong types and bad
/// scalars are errors with their field path and line, collected rather than thrown so a user sees them all.
/// It also remembers the line of every field path, so later semantic errors can point at the line too.
/// </summary>
internal sealed class YamlShapeReader
{
    private readonly List<(string Path, int Line, string Message)> errors = [];

    public IReadOnlyList<(string Path, int Line, string Message)> Errors => errors;

    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    public void Error(YamlNode node, string path, string message) => errors.Add((path, Line(node), message));

    /// <summary>Walks a mapping, handing each known key to its reader and reporting unknown ones.</summary>
    public void Mapping(YamlNode node, string path, IReadOnlyDictionary<string, Action<YamlNode, string>> fields)
    {
        if (IsNull(node))
        {
            return;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping, got {Describe(node)}");
            return;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var fieldPath = path.Length == 0 ? key : $"{path}.{key}";
            Lines[fieldPath] = Line(keyNode);
            if (fields.TryGetValue(key, out var read))
            {
                read(value, fieldPath);
            }
            else
            {
                Error(keyNode, fieldPath, $"unknown field (known here: {string.Join(", ", fields.Keys)})");
            }
        }
    }

    public List<T> Sequence<T>(YamlNode node, string path, Func<YamlNode, string, T?> item)
    {
        var result = new List<T>();
        if (IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list, got {Describe(node)}");
            return result;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            Lines[itemPath] = Line(sequence.Children[i]);
            if (item(sequence.Children[i], itemPath) is { } value)
            {
                result.Add(value);
            }
        }

        return result;
    }

    public Dictionary<string, string> StringMap(YamlNode node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsNull(node))
        {
            return result;
        }

        if (node is not YamlMappingNode mapping)
        {
            Error(node, path, $"expected a mapping of strings, got {Describe(node)}");
            return result;
        }

        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (String(value, $"{path}.{name}") is { } text)
            {
                result[name] = text;
            }
        }

        return result;
    }

    public string? String(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(node, path, $"expected a string, got {Describe(node)}");
        return null;
    }

    public int? Integer(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain } scalar
            && int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(node, path, $"expected an integer, got {Describe(node)}");
        return null;
    }

    public bool? Boolean(YamlNode node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } scalar)
        {
            return scalar.Value == "true";
        }

        Error(node, path, $"expected true or false, got {Describe(node)}");
        return null;
    }

    public static int Line(YamlNode node) => (int)node.Start.Line;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or null };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"\"{s.Value}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => node.NodeType.ToString(),
    };
}
