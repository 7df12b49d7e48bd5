using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.Tests.Http;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Testing;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// <c>ragtune serve</c> over a folder of hostile files, made in the test's temp folder (truncated and random PDFs, a
/// DOCX zip bomb, deeply nested HTML and JSON, invalid UTF-8, NUL bytes, a single 100 MB line, an unreadable access
/// sidecar) beside one good document: each hostile file is listed as failed with a reason that names the problem and
/// shows no internals (the one with the unreadable sidecar to the operator only), the good one is answered, and the server keeps answering.
/// </summary>
public sealed class FileFuzzTests : IAsyncLifetime
{
    private const string GoodText = "The Wrenfield library lends telescopes to members for two weeks at a time.";

    /// <summary>Each hostile file, with a word its failure reason must contain.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["truncated.pdf"] = "PDF",
        ["random.pdf"] = "PDF",
        ["random.docx"] = "docx",
        ["bomb.docx"] = "zip bomb",
        ["nested.html"] = "levels deep",
        ["nested.json"] = "deep",
        ["invalid-utf8.txt"] = "UTF-8",
        ["binary.md"] = "binary",
        ["huge-line.txt"] = "MB",
    };

    /// <summary>Failed by an unreadable sidecar, or one with a duplicated key: who may read them is unknown, so only the operator's list names them.</summary>
    private static readonly string[] UnknownAccess = ["secret.md", "duplicate-key.md"];

    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _data = new();
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        var random = new Random(8);
        _documents.WriteFile("good.md", $"# Library\n\n{GoodText}\n");
        var pdf = await File.ReadAllBytesAsync(SharedData.ContosoDocument("PerksPlus.pdf"));
        _documents.WriteFile("truncated.pdf", pdf[..(pdf.Length / 3)]);
        _documents.WriteFile("random.pdf", [.. "%PDF-1.7\n"u8, .. RandomBytes(random, 64 * 1024)]);
        _documents.WriteFile("random.docx", [.. "PK\u0003\u0004"u8, .. RandomBytes(random, 64 * 1024)]);
        _documents.WriteFile("bomb.docx", ZipBomb());
        _documents.WriteFile("nested.html", "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "deep</body></html>");
        _documents.WriteFile("nested.json", new string('[', 100_000) + new string(']', 100_000));
        _documents.WriteFile("invalid-utf8.txt", [.. "Valid start. "u8, 0xC3, 0x28, 0xFF, 0xFE, .. " valid end."u8]);
        _documents.WriteFile("binary.md", [.. "# Title\n\n"u8, 0, 0, 0, 1, 2, 3, 0, 0]);
        _documents.WriteFile("secret.md.acl.json", "{\"groups\": \"board\"");
        _documents.WriteFile("secret.md", "# Secret\n\nThe Wrenfield library vault code is Tessaract-4471.\n");
        _documents.WriteFile("duplicate-key.md.acl.json", "{\"groups\": [\"board\"], \"groups\": []}");
        _documents.WriteFile("duplicate-key.md", "# Vault\n\nThe Wrenfield library vault code is Tessaract-4471.\n");
        await using (var line = File.Create(_documents.Combine("huge-line.txt")))
        {
            var piece = "lorem ipsum dolor sit amet "u8.ToArray();
            for (long written = 0; written < 100L * 1024 * 1024; written += piece.Length)
            {
                await line.WriteAsync(piece);
            }
        }

        _server = await RunningServer.StartAsync(_documents.Path, _data.Path, "--Ragtune:Documents:Watch=false");
        await _server.FirstSynchronization;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _documents.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task HostileFiles_EachFailsAloneWithItsReason_AndTheGoodOneIsAnswered()
    {
        var documents = await _server.Client.ListDocumentsAsync();

        Assert.Equal("indexed", documents["good.md"].GetProperty("status").GetString());
        foreach (var (source, reason) in Expected)
        {
            Assert.True(documents.TryGetValue(source, out var document), $"{source} is not listed");
            Assert.Equal("failed", document.GetProperty("status").GetString());
            var error = document.GetProperty("error").GetString()!;
            Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        }

        using var answer = await _server.Client.PostAsJsonAsync("/api/ask", new { question = "How long does the Wrenfield library lend telescopes?" });
        var body = await answer.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("good.md", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Tessaract", body, StringComparison.Ordinal);
        using var health = await _server.Client.GetAsync(new Uri("/api/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task DocumentWithAnUnreadableSidecar_IsListedToTheOperatorOnly()
    {
        var callers = await _server.Client.ListDocumentsAsync();
        var operatorList = await _server.Services.GetRequiredService<DocumentList>().ListAsync(AccessScope.Unrestricted);

        foreach (var source in UnknownAccess)
        {
            Assert.False(callers.ContainsKey(source), $"{source} is listed to an anonymous caller");
            var document = Assert.Single(operatorList.Documents, d => d.Source == source);
            Assert.Equal(DocumentStatus.Failed, document.Status);
            Assert.Contains("access-control", document.Error, StringComparison.Ordinal);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A 100 KB .docx whose document part claims 64 MB: a highly compressed entry, as a zip bomb is.</summary>
    private static byte[] ZipBomb()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var types = new StreamWriter(zip.CreateEntry("[Content_Types].xml").Open(), Encoding.UTF8))
            {
                types.Write("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>");
            }

            using var document = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            document.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"u8);
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 64; i++)
            {
                document.Write(spaces);
            }

            document.Write("</w:t></w:r></w:p></w:body></w:document>"u8);
        }

        return buffer.ToArray();
    }
}
