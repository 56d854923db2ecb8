// Inspects the packages `dotnet pack` wrote (ci/test packs into artifacts/packages, then runs this):
//   dotnet run ci/check-packages.cs -- DIR [REPOSITORY-URL]
// Every package of src/ must be there, at the version ../Directory.Build.props sets, with its metadata (description,
// authors, tags, README, license expression, repository commit, and the repository URL when one is given: ci/test
// gives the clone's https origin, which source link writes into every package), its symbols package, and its library
// with XML docs (the tool: its dotnet-tool layout). Prints one line per problem; exit 0 when none, 1 when some, 2 on
// bad usage.
using System.IO.Compression;
using System.Xml.Linq;

if (args.Length is not (1 or 2) || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: dotnet run ci/check-packages.cs -- DIR [REPOSITORY-URL] (a folder of .nupkg files; the URL every package must name)");
    return 2;
}
var repositoryUrl = args.Length == 2 && args[1].Length > 0 ? args[1] : null;
var props = XDocument.Load(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? "ci", "..", "Directory.Build.props"));
var version = props.Descendants("Version").Single().Value;
string[] libraries = ["Systematic", "Systematic.Coyote", "Kernel", "HighMem", "Campaigns", "Xunit"];
var problems = new List<string>();
foreach (var id in libraries.Select(l => $"HighMemConcurrency.{l}").Append("HighMemConcurrency.Cli"))
{
    var path = Path.Combine(args[0], $"{id}.{version}.nupkg");
    if (!File.Exists(path))
    {
        problems.Add($"{id}: no {Path.GetFileName(path)}");
        continue;
    }
    if (!File.Exists(Path.ChangeExtension(path, ".snupkg"))) problems.Add($"{id}: no symbols package");
    using var zip = ZipFile.OpenRead(path);
    var files = zip.Entries.Select(e => e.FullName).ToHashSet();
    using var stream = zip.GetEntry($"{id}.nuspec")!.Open();
    var meta = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    string? Field(string name) => meta.Elements().FirstOrDefault(e => e.Name.LocalName == name) is { } e ? e.Value : null;
    XElement? Element(string name) => meta.Elements().FirstOrDefault(e => e.Name.LocalName == name);
    if (Field("version") != version) problems.Add($"{id}: version {Field("version")}, expected {version}");
    foreach (var name in new[] { "description", "authors", "copyright", "tags" })
        if (string.IsNullOrWhiteSpace(Field(name))) problems.Add($"{id}: no {name}");
    if (Element("license") is not { } license || license.Attribute("type")?.Value != "expression" || license.Value != "MIT")
        problems.Add($"{id}: the license is not the expression MIT");
    if (Field("readme") is not { } readme || !files.Contains(readme)) problems.Add($"{id}: no README in the package");
    if (Element("repository") is not { } repository || string.IsNullOrEmpty(repository.Attribute("commit")?.Value))
        problems.Add($"{id}: no repository commit");
    else if (repositoryUrl is not null && repository.Attribute("url")?.Value != repositoryUrl)
        problems.Add($"{id}: repository url '{repository.Attribute("url")?.Value}', expected '{repositoryUrl}'");
    string[] expected = id.EndsWith(".Cli", StringComparison.Ordinal)
        ? ["tools/net10.0/any/HighMemConcurrency.Cli.dll", "tools/net10.0/any/DotnetToolSettings.xml"]
        : [$"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"];
    foreach (var file in expected.Where(f => !files.Contains(f))) problems.Add($"{id}: no {file}");
}
foreach (var p in problems) Console.Error.WriteLine($"check-packages: {p}");
var where = repositoryUrl is null ? "no repository URL asked for (the clone has no https origin)" : $"repository {repositoryUrl}";
Console.WriteLine(problems.Count == 0 ? $"check-packages: {libraries.Length + 1} packages at {version}, metadata complete, {where}" : $"check-packages: {problems.Count} problem(s)");
return problems.Count == 0 ? 0 : 1;
