using Ragtune.Embedded.Embeddings;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Embeddings;

public sealed class MiniLmModelFileTests
{
    [Fact]
    public void ExtractModel_FirstTime_WritesTheResourceBytesAsAFile()
    {
        using var directory = new TempDirectory();

        var path = MiniLmModel.ExtractModel(directory.Combine("models"));

        Assert.StartsWith(directory.Combine("models"), path, StringComparison.Ordinal);
        Assert.Equal(MiniLmModel.ReadModelBytes(), File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(directory.Combine("models")));
    }

    [Fact]
    public void ExtractModel_FileAlreadyThere_ReusesItWithoutWriting()
    {
        using var directory = new TempDirectory();
        var path = MiniLmModel.ExtractModel(directory.Path);
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, written);

        var again = MiniLmModel.ExtractModel(directory.Path);

        Assert.Equal(path, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(again));
    }

    [Fact]
    public void ExtractModel_FileCutShort_WritesItAgain()
    {
        using var directory = new TempDirectory();
        var path = MiniLmModel.ExtractModel(directory.Path);
        using (var file = File.OpenWrite(path))
        {
            file.SetLength(1_000);
        }

        MiniLmModel.ExtractModel(directory.Path);

        Assert.Equal(MiniLmModel.ReadModelBytes().Length, new FileInfo(path).Length);
        Assert.Single(Directory.GetFiles(directory.Path));
    }

    [Fact]
    public async Task Generate_ModelCacheDirectoryNotWritable_LoadsFromTheResourceAndStillEmbeds()
    {
        using var directory = new TempDirectory();
        var notADirectory = directory.WriteFile("models", "a file where the directory should be");
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Sessions = 1, ModelCacheDirectory = notADirectory });

        var embeddings = await generator.GenerateAsync(["The warranty covers the frame for five years."]);

        Assert.Equal(384, embeddings[0].Vector.Length);
        Assert.Equal("a file where the directory should be", File.ReadAllText(notADirectory));
    }
}
