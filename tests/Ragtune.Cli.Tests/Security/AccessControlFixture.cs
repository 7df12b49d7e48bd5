using Ragtune.Cli.Tests.Http;
using Ragtune.Testing;
using Ragtune.Testing.Identity;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// Three <c>ragtune serve</c> over one folder of a public document and two restricted ones (a <c>board</c> one and an
/// <c>hr</c> one, each with its <c>NAME.acl.json</c> sidecar): one server trusts the client principal header, one (the
/// default) does not, and one validates bearer tokens of a loopback OpenID Connect issuer. Every restricted document holds a marker word that no other document has, so that any
/// leak of its text, name or chunks shows.
/// </summary>
public sealed class AccessControlFixture : IAsyncLifetime
{
    public const string BoardMarker = "Quillmoor";
    public const string HrMarker = "Fennickbay";
    public const string BoardSource = "board-minutes.md";
    public const string HrSource = "salary-bands.md";
    public const string PublicSource = "office-hours.md";

    /// <summary>Questions that find the restricted documents for callers allowed to read them.</summary>
    public static readonly string[] Questions =
    [
        $"What bonus did the {BoardMarker} board approve?",
        $"What is the salary band of a {HrMarker} engineer?",
        "When does the office open?",
        "board minutes bonus salary band engineer",
    ];

    private readonly TempDirectory _trustedData = new();
    private readonly TempDirectory _untrustedData = new();
    private readonly TempDirectory _tokenData = new();
    private RunningServer? _trusted;
    private RunningServer? _untrusted;
    private RunningServer? _tokens;

    public TempDirectory Documents { get; } = new();

    /// <summary>The server that honours <c>x-ms-client-principal</c> (behind a trusted proxy).</summary>
    public RunningServer Trusted => _trusted ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server with the default settings: the header is ignored, every caller is anonymous.</summary>
    public RunningServer Untrusted => _untrusted ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The server that validates bearer tokens of <see cref="Issuer"/> (and does not trust the principal header).</summary>
    public RunningServer Tokens => _tokens ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The OpenID Connect issuer whose tokens <see cref="Tokens"/> accepts.</summary>
    public LoopbackOpenIdIssuer Issuer { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public HttpClient BoardMember { get; private set; } = null!;

    public HttpClient HrMember { get; private set; } = null!;

    /// <summary>A caller with groups, but none of the documents'.</summary>
    public HttpClient Outsider { get; private set; } = null!;

    /// <summary>A caller claiming the board group from the server that must not believe it.</summary>
    public HttpClient ForgedBoardMember { get; private set; } = null!;

    /// <summary>Callers of <see cref="Tokens"/> with tokens of the issuer.</summary>
    public HttpClient TokenBoardMember { get; private set; } = null!;

    public HttpClient TokenHrMember { get; private set; } = null!;

    public HttpClient TokenOutsider { get; private set; } = null!;

    /// <summary>A caller of <see cref="Tokens"/> with no token, forging the principal header of a board member.</summary>
    public HttpClient ForgedPrincipalAtTokenServer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Documents.WriteFile(PublicSource, "# Office hours\n\nThe office opens at eight in the morning on weekdays. Visitors sign in at the front desk.\n");
        Documents.WriteFile(BoardSource + ".acl.json", "{\"groups\": [\"board\"]}");
        Documents.WriteFile(BoardSource, $"# Board minutes\n\nThe {BoardMarker} board approved a bonus of four percent for every employee. The board meets in the boardroom.\n");
        Documents.WriteFile(HrSource + ".acl.json", "{\"groups\": [\"hr\", \"board\"]}");
        Documents.WriteFile(HrSource, $"# Salary bands\n\nA {HrMarker} engineer earns between ninety and one hundred and ten thousand a year in salary band four.\n");

        string[] export = ["--Ragtune:FineTuning:MinTrainingExamples=1", "--Ragtune:FineTuning:ValidationPercent=0", "--Ragtune:FineTuning:Schedule="];
        _trusted = await RunningServer.StartAsync(Documents.Path, _trustedData.Path, ["--Ragtune:Auth:TrustClientPrincipalHeader=true", .. export]);
        _untrusted = await RunningServer.StartAsync(Documents.Path, _untrustedData.Path, export);
        Issuer = await LoopbackOpenIdIssuer.StartAsync();
        _tokens = await RunningServer.StartAsync(Documents.Path, _tokenData.Path, [.. Issuer.Settings(), .. export]);
        Anonymous = _trusted.Client;
        BoardMember = _trusted.CreateClient("board");
        HrMember = _trusted.CreateClient("hr");
        Outsider = _trusted.CreateClient("sales", "engineering");
        ForgedBoardMember = _untrusted.CreateClient("board", "hr");
        TokenBoardMember = _tokens.CreateClientWithToken(Issuer.Issue(new TokenSpec { Groups = ["board"] }));
        TokenHrMember = _tokens.CreateClientWithToken(Issuer.Issue(new TokenSpec { Groups = ["hr"] }));
        TokenOutsider = _tokens.CreateClientWithToken(Issuer.Issue(new TokenSpec { Groups = ["sales", "engineering"] }));
        ForgedPrincipalAtTokenServer = _tokens.CreateClient("board", "hr");
        await Task.WhenAll(_trusted.FirstSynchronization, _untrusted.FirstSynchronization, _tokens.FirstSynchronization);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { BoardMember, HrMember, Outsider, ForgedBoardMember, TokenBoardMember, TokenHrMember, TokenOutsider, ForgedPrincipalAtTokenServer })
        {
            client?.Dispose();
        }

        if (_trusted is not null)
        {
            await _trusted.DisposeAsync();
        }

        if (_untrusted is not null)
        {
            await _untrusted.DisposeAsync();
        }

        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        if (Issuer is not null)
        {
            await Issuer.DisposeAsync();
        }

        Documents.Dispose();
        _trustedData.Dispose();
        _untrustedData.Dispose();
        _tokenData.Dispose();
    }
}
