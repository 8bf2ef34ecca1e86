using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WgIsolate.KubeApiDouble.Schema;

namespace WgIsolate.Operator.Tests.Chart;

/// <summary>
/// Renders the chart's templates the way Helm does, for the small part of Helm's template language they are allowed
/// to use: <c>.Values.*</c>, <c>.Release.Name</c>, <c>.Release.Namespace</c>, <c>.Files.Get "path"</c>, <c>| quote</c>,
/// <c>toYaml … | nindent N</c>, <c>if .Values.…</c> / <c>end</c> and <c>{{-</c> / <c>-}}</c> whitespace trimming.
/// Anything else fails the render, so a template cannot grow past what is tested here (no Helm binary can be
/// installed on these machines).
/// </summary>
internal static partial class ChartTemplates
{
    public static IReadOnlyList<JsonObject> Render(string chart, string releaseName, string releaseNamespace, Action<JsonObject>? values = null)
    {
        var valuesNode = YamlToJson.ReadDocuments(File.ReadAllText(Path.Combine(chart, "values.yaml"))).Single().AsObject();
        values?.Invoke(valuesNode);
        var manifests = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Path.Combine(chart, "templates"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var rendered = RenderText(chart, File.ReadAllText(file), valuesNode, releaseName, releaseNamespace, Path.GetFileName(file));
            manifests.AddRange(YamlToJson.ReadDocuments(rendered).OfType<JsonObject>());
        }

        return manifests;
    }

    private static string RenderText(string chart, string template, JsonObject values, string releaseName, string releaseNamespace, string file)
    {
        var output = new StringBuilder();
        // Per open "if", whether its body is left out.
        var skipped = new Stack<bool>();
        var at = 0;
        foreach (Match tag in Tag().Matches(template))
        {
            var emitting = !skipped.Contains(true);
            if (emitting) output.Append(template, at, tag.Index - at);
            if (emitting && tag.Groups["trimLeft"].Success) TrimEnd(output);
            var expression = tag.Groups["expr"].Value.Trim();
            if (expression.StartsWith("if ", StringComparison.Ordinal))
            {
                skipped.Push(!Truthy(Lookup(values, expression[3..].Trim(), file)));
            }
            else if (expression == "end")
            {
                if (!skipped.TryPop(out _)) throw new FormatException($"{file}: {{{{ end }}}} without an if");
            }
            else if (emitting)
            {
                output.Append(Evaluate(chart, expression, values, releaseName, releaseNamespace, file));
            }

            at = tag.Index + tag.Length;
            if (tag.Groups["trimRight"].Success) while (at < template.Length && char.IsWhiteSpace(template[at])) at++;
        }

        if (skipped.Count > 0) throw new FormatException($"{file}: an if without its end");
        return output.Append(template, at, template.Length - at).ToString();
    }

    // Go templates' truth: false, 0, "" and empty collections are false.
    private static bool Truthy(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var text) => text.Length > 0,
        JsonValue v when v.TryGetValue<double>(out var number) => number != 0,
        JsonObject o => o.Count > 0,
        JsonArray a => a.Count > 0,
        _ => true,
    };

    private static string Evaluate(string chart, string expression, JsonObject values, string releaseName, string releaseNamespace, string file)
    {
        var pipeline = expression.Split('|', StringSplitOptions.TrimEntries);
        var head = pipeline[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var value = head switch
        {
            [".Release.Name"] => releaseName,
            [".Release.Namespace"] => releaseNamespace,
            [".Files.Get", var quoted] when quoted.Length > 2 && quoted[0] == '"' && quoted[^1] == '"' =>
                File.ReadAllText(Path.Combine(chart, quoted[1..^1])),
            [var path] when path.StartsWith(".Values.", StringComparison.Ordinal) => Scalar(Lookup(values, path, file), path, file),
            ["toYaml", var path] when path.StartsWith(".Values.", StringComparison.Ordinal) => Lookup(values, path, file).ToJsonString(),
            _ => throw new NotSupportedException($"{file}: {{{{ {expression} }}}} is outside what the chart's templates may use"),
        };
        foreach (var step in pipeline.Skip(1))
        {
            value = step.Split(' ', StringSplitOptions.RemoveEmptyEntries) switch
            {
                ["quote"] => JsonValue.Create(value)!.ToJsonString(),
                // Every line indented, after a newline. (toYaml gives JSON here, which is YAML: a flow mapping.)
                ["nindent", var n] => Indent(value, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)),
                _ => throw new NotSupportedException($"{file}: \"| {step}\" is outside what the chart's templates may use"),
            };
        }

        return value;
    }

    private static string Indent(string text, int spaces) =>
        "\n" + string.Join("\n", text.TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? line : new string(' ', spaces) + line));

    private static JsonNode Lookup(JsonObject values, string path, string file)
    {
        JsonNode? node = values;
        foreach (var part in path[".Values.".Length..].Split('.')) node = node?[part];
        return node ?? throw new KeyNotFoundException($"{file}: {path} is not in values.yaml");
    }

    private static string Scalar(JsonNode node, string path, string file) => node is JsonValue value
        ? value.ToString()
        : throw new NotSupportedException($"{file}: {path} is not a scalar; use toYaml");

    private static void TrimEnd(StringBuilder output)
    {
        while (output.Length > 0 && char.IsWhiteSpace(output[^1])) output.Length--;
    }

    [GeneratedRegex(@"\{\{(?<trimLeft>-)?(?<expr>.*?)(?<trimRight>-)?\}\}")]
    private static partial Regex Tag();
}
