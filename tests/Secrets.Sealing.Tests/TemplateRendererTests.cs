using Secrets.Core;

namespace Secrets.Sealing.Tests;

public class TemplateRendererTests
{
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["host"] = "db",
        ["my-key"] = "p\"w",
    };

    [Theory]
    [InlineData("postgres://{{ .host }}:5432", "postgres://db:5432")]
    [InlineData("{{ index . \"my-key\" }}", "p\"w")]
    [InlineData("{\"pw\": {{ toJson (index . \"my-key\") }}}", null)]
    [InlineData("{\"pw\": {{ index . \"my-key\" | toJson }}}", "{\"pw\": \"p\\\"w\"}")]
    [InlineData("{{ .host | b64enc }}", "ZGI=")]
    [InlineData("{{ .host | upper }}", "DB")]
    [InlineData("a  {{- .host -}}  b", "adbb")]
    [InlineData("{{ .missing }}", "<no value>")]
    public void Renders_the_supported_go_template_subset(string template, string? expected)
    {
        if (expected is null)
        {
            Assert.Throws<InvalidFileException>(() => TemplateRenderer.Render("item", template, Values));
            return;
        }

        Assert.Equal(expected, TemplateRenderer.Render("item", template, Values));
    }

    [Fact]
    public void Unsupported_functions_name_the_item()
    {
        var error = Assert.Throws<InvalidFileException>(() => TemplateRenderer.Render("cfg", "{{ .host | sha256sum }}", Values));

        Assert.StartsWith("spec.template.data.\"cfg\": template function \"sha256sum\"", error.Message, StringComparison.Ordinal);
    }
}
