using Ragtune.Cli.Tests.Security;

namespace Ragtune.Cli.Tests.FrontEnds;

/// <summary>
/// The front ends' own clients against one pair of <c>ragtune serve</c> (<see cref="AccessControlFixture"/>: a public
/// document, two restricted ones, the extractive answerer), shared by the test classes of this folder that need no chat
/// service of their own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FrontEndsCollection : ICollectionFixture<AccessControlFixture>
{
    public const string Name = "front-end clients against ragtune serve";
}
