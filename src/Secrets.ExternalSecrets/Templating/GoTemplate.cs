namespace Secrets.ExternalSecrets.Templating;

/// <summary>
/// A parsed ESO v2 template (Go text/template with <c>missingkey=error</c> and the Sprig subset, eso-flux.md §1.9).
/// <c>GoTemplate.Parse("config.yml", text).Execute(data)</c>; data is usually the provider map (map[string]string).
/// </summary>
public sealed class GoTemplate
{
    private readonly List<Node> _nodes;

    private GoTemplate(string name, List<Node> nodes)
    {
        Name = name;
        _nodes = nodes;
    }

    public string Name { get; }

    /// <summary>Every function a template may call.</summary>
    public static IReadOnlySet<string> FunctionNames => TemplateFunctions.Names;

    /// <exception cref="TemplateException">Syntax errors and unknown functions.</exception>
    public static GoTemplate Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        return new GoTemplate(name, new TemplateParser(name, TemplateFunctions.Names).Parse(text));
    }

    /// <summary>Renders with a string map as dot (ESO passes provider data as map[string]string).</summary>
    public string Execute(IReadOnlyDictionary<string, string> data) => new TemplateExecutor(Name, data).Execute(_nodes);

    /// <summary>Renders with a map of arbitrary template values (strings, longs, doubles, bools, lists, maps).</summary>
    public string Execute(Dictionary<string, object?> data) => new TemplateExecutor(Name, data).Execute(_nodes);

    /// <summary>Parse and render in one step.</summary>
    public static string Render(string name, string text, IReadOnlyDictionary<string, string> data) => Parse(name, text).Execute(data);
}
