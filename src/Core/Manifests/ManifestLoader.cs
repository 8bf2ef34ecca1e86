using WgIsolate.Core.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WgIsolate.Core.Manifests;

/// <summary>
/// Turns manifest texts (each possibly several YAML documents) into IsolatedApps, all or nothing: the result
/// holds either every app, each valid and unique, or every problem found across all inputs.
/// </summary>
public static class ManifestLoader
{
    public static ManifestSet Load(IEnumerable<(string Source, string Text)> inputs, ValidationOptions options)
    {
        var apps = new List<ParsedApp>();
        var errors = new List<ManifestError>();
        foreach (var (source, text) in inputs)
        {
            LoadText(source, text, options, apps, errors);
        }

        foreach (var duplicate in apps.GroupBy(a => a.Key).Where(g => g.Count() > 1))
        {
            var places = string.Join(" and ", duplicate.Select(a => $"{a.Source} (document {a.Document})"));
            errors.Add(new ManifestError(duplicate.Last().Source, duplicate.Last().Document, null, duplicate.Key, "metadata.name", $"app {duplicate.Key} is defined more than once: {places}"));
        }

        return errors.Count == 0 ? new ManifestSet(apps, []) : new ManifestSet([], errors);
    }

    private static void LoadText(string source, string text, ValidationOptions options, List<ParsedApp> apps, List<ManifestError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            errors.Add(new ManifestError(source, 1, (int)ex.Start.Line, "(file)", "", $"is not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
            return;
        }

        for (var index = 0; index < stream.Documents.Count; index++)
        {
            var root = stream.Documents[index].RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            var reader = new YamlShapeReader();
            var app = IsolatedAppDocumentReader.Read(root, reader);
            app.Metadata.NamespaceProperty ??= "default";
            var name = app.Metadata.Name is { Length: > 0 } n ? $"{app.Metadata.NamespaceProperty}/{n}" : "(unnamed)";
            var document = index + 1;
            var before = errors.Count;
            errors.AddRange(reader.Errors.Select(e => new ManifestError(source, document, e.Line, name, e.Path, e.Message)));
            // A field that could not be read already has its error; its default value would only add a confusing second one.
            var unreadable = reader.Errors.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var problem in IsolatedAppValidator.Validate(app, options).Where(p => !unreadable.Contains(p.Path)))
            {
                var line = reader.Lines.TryGetValue(problem.Path, out var l) ? l : (int?)null;
                errors.Add(new ManifestError(source, document, line, name, problem.Path, problem.Message));
            }

            if (errors.Count == before)
            {
                apps.Add(new ParsedApp(app, source, document));
            }
        }
    }
}
