using Secrets.ExternalSecrets.Templating;

namespace Secrets.ExternalSecrets.Tests.Templating;

/// <summary>Go text/template semantics (expected outputs are what Go 1.22 text/template prints for the same input).</summary>
public sealed class TemplateEngineTests
{
    private static readonly Dictionary<string, string> Data = new()
    {
        ["username"] = "admin",
        ["password"] = "s3cr3t",
        ["my-key"] = "dashed",
        ["json"] = """{"port": 5432, "ratio": 1.5, "big": 1000000, "tags": ["a", "b"], "nested": {"x": "<y>"}}""",
        ["empty"] = "",
    };

    private static string Render(string text) => GoTemplate.Render("t", text, Data);

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("{{ .username }}:{{ .password }}", "admin:s3cr3t")]
    [InlineData("{{ index . \"my-key\" }}", "dashed")]
    [InlineData("{{ index . \"absent\" }}|", "|")]
    [InlineData("a  {{- .username -}}  b", "aadminb")]
    [InlineData("a \n {{- /* comment */ -}} \n b", "ab")]
    [InlineData("{{/* only a comment */}}x", "x")]
    [InlineData("{{ if .empty }}yes{{ else if .username }}user{{ else }}no{{ end }}", "user")]
    [InlineData("{{ with .username }}[{{ . }}]{{ end }}{{ with .empty }}x{{ else }}none{{ end }}", "[admin]none")]
    [InlineData("{{ $u := .username }}{{ $u }}{{ $u = \"x\" }}{{ $u }}", "adminx")]
    [InlineData("{{ range $k, $v := . }}{{ $k }},{{ end }}", "empty,json,my-key,password,username,")]
    [InlineData("{{ range $i, $t := (fromJson .json).tags }}{{ $i }}={{ $t }};{{ end }}", "0=a;1=b;")]
    [InlineData("{{ range (list) }}x{{ else }}empty{{ end }}", "empty")]
    [InlineData("{{ range $i, $e := list 1 2 3 4 }}{{ if eq $e 3 }}{{ break }}{{ end }}{{ $e }}{{ end }}", "12")]
    [InlineData("{{ range 3 }}{{ . }}{{ end }}", "012")]
    [InlineData("{{ len .username }} {{ len (list 1 2) }}", "5 2")]
    [InlineData("{{ printf \"%s:%s\" .username .password | b64enc }}", "YWRtaW46czNjcjN0")]
    [InlineData("{{ printf \"%d|%5s|%-4s|%05d|%x|%q|%v|%.2f|%t|%%\" 42 \"ab\" \"c\" 7 255 \"q\\\"\" 1.5 3.14159 true }}", "42|   ab|c   |00007|ff|\"q\\\"\"|1.5|3.14|true|%")]
    [InlineData("{{ printf \"%d\" }}{{ printf \"%s\" 5 }}", "%!d(MISSING)%!s(int=5)")]
    [InlineData("{{ eq .username \"admin\" \"root\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ gt \"b\" \"a\" }} {{ le 2 2 }} {{ ge 1 2 }}", "true true true true true false")]
    [InlineData("{{ and 1 0 }} {{ or 0 \"\" \"z\" }} {{ not .empty }} {{ and .username .password }}", "0 z true s3cr3t")]
    [InlineData("{{ or .username .missing }}", "admin")]
    [InlineData("{{ (fromJson .json).port }} {{ (fromJson .json).ratio }} {{ (fromJson .json).big }}", "5432 1.5 1e+06")]
    [InlineData("{{ (fromJson .json).nested }}", "map[x:<y>]")]
    [InlineData("{{ (fromJson .json).nested | toJson }}", "{\"x\":\"\\u003cy\\u003e\"}")]
    [InlineData("{{ fromJson .json | toJson }}", "{\"big\":1000000,\"nested\":{\"x\":\"\\u003cy\\u003e\"},\"port\":5432,\"ratio\":1.5,\"tags\":[\"a\",\"b\"]}")]
    [InlineData("{{ fromJson \"not json\" }}", "<no value>")]
    [InlineData("{{ .username | upper }} {{ \"ABC\" | lower }} {{ \"  x \" | trim }}|", "ADMIN abc x|")]
    [InlineData("{{ trimPrefix \"ad\" .username }} {{ trimSuffix \"in\" .username }} {{ replace \"m\" \"M\" .username }}", "min adm adMin")]
    [InlineData("{{ quote .username 1 }} {{ squote .username }}", "\"admin\" \"1\" 'admin'")]
    [InlineData("{{ default \"fallback\" .empty }} {{ default \"fallback\" .username }} {{ empty .empty }} {{ empty (list) }}", "fallback admin true true")]
    [InlineData("{{ contains \"dm\" .username }} {{ hasPrefix \"ad\" .username }} {{ hasSuffix \"x\" .username }}", "true true false")]
    [InlineData("{{ join \",\" (list \"a\" 1 true) }} {{ (split \":\" \"a:b\")._1 }} {{ split \":\" \"a:b\" }}", "a,1,true b map[_0:a _1:b]")]
    [InlineData("{{ $d := dict \"k\" \"v\" \"n\" 2 }}{{ get $d \"k\" }}{{ get $d \"none\" }}{{ $d.n }} {{ $d }}", "v2 map[k:v n:2]")]
    [InlineData("{{ .username | sha256sum }}", "8c6976e5b5410415bde908bd4dee15dfb167a9c873fc4bb8a81f6f2ab448a918")]
    [InlineData("{{ \"YWRtaW4=\" | b64dec }} {{ \"%%%\" | b64dec }}", "admin illegal base64 data at input byte 0")]
    [InlineData("x:{{ \"a\\nb\" | nindent 2 }}|{{ indent 1 \"c\" }}", "x:\n  a\n  b| c")]
    [InlineData("{{ toString 5 }} {{ toString .username }} {{ 1.0 }} {{ 0.000001 }} {{ 123456789.0 }}", "5 admin 1 1e-06 1.23456789e+08")]
    [InlineData("{{ list 1 \"a\" (list 2) }}", "[1 a [2]]")]
    [InlineData("{{ slice .username 1 3 }} {{ index (list 5 6) 1 }}", "dm 6")]
    [InlineData("{{ `raw {{ \"str\"` }}", "raw {{ \"str\"")]
    public void Renders_like_go_text_template(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void Missing_key_is_an_error_naming_the_key_not_a_value()
    {
        var e = Assert.Throws<TemplateException>(() => Render("line1\n{{ .password }}{{ .nope }}"));
        Assert.Equal("template: t:2:16: executing \"t\" at <.nope>: map has no entry for key \"nope\"", e.Message);
        Assert.DoesNotContain("s3cr3t", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ .username | frobnicate }}", "template: t:1: function \"frobnicate\" not defined")]
    [InlineData("{{ env \"HOME\" }}", "template: t:1: function \"env\" not defined")]
    [InlineData("{{ if .username }}x", "template: t:1: unexpected EOF in {{if}}")]
    [InlineData("{{ end }}", "template: t:1: unexpected {{end}}")]
    [InlineData("{{ .username ", "template: t:1: unclosed action")]
    [InlineData("{{ break }}", "template: t:1: {{break}} outside {{range}}")]
    public void Parse_errors_name_the_problem(string template, string message) =>
        Assert.Equal(message, Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", template)).Message);

    [Theory]
    [InlineData("{{ .username.first }}", "can't evaluate field first in type string")]
    [InlineData("{{ index (list 1) 3 }}", "error calling index: index out of range: 3")]
    [InlineData("{{ upper 5 }}", "error calling upper: wrong type for value; expected string; got int")]
    [InlineData("{{ lt 1 \"a\" }}", "error calling lt: incompatible types for comparison: int and string")]
    [InlineData("{{ .username 1 }}", "can't give argument to non-function .username")]
    public void Execution_errors_are_reported(string template, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<TemplateException>(() => Render(template)).Message, StringComparison.Ordinal);

    [Fact]
    public void Dockerconfigjson_recipe_from_the_eso_docs_renders()
    {
        var text = """{"auths":{"{{ .registry }}":{"auth":"{{ printf "%s:%s" .user .pass | b64enc }}"}}}""";
        var result = GoTemplate.Render("dockerconfig", text, new Dictionary<string, string> { ["registry"] = "r.io", ["user"] = "u", ["pass"] = "p" });
        Assert.Equal("""{"auths":{"r.io":{"auth":"dTpw"}}}""", result);
    }
}
