using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OpenPars.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SealedTotpSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The plaintext secrets move out of users into totp_secrets_to_seal, which the first start empties
            // (Storage/Agencies/TotpSecretSealing: sealed onto each user, bound to the user, under the key file).
            migrationBuilder.CreateTable(
                name: "totp_secrets_to_seal",
                columns: table => new
                {
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    secret = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_totp_secrets_to_seal", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_totp_secrets_to_seal_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql("INSERT INTO totp_secrets_to_seal (user_id, secret) SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL;");

            migrationBuilder.DropColumn(
                name: "totp_secret",
                table: "users");

            migrationBuilder.AddColumn<byte[]>(
                name: "totp_secret_sealed",
                table: "users",
                type: "bytea",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A sealed secret cannot be unsealed in SQL: after a downgrade every user enrols a second factor again.
            migrationBuilder.DropTable(
                name: "totp_secrets_to_seal");

            migrationBuilder.DropColumn(
                name: "totp_secret_sealed",
                table: "users");

            migrationBuilder.AddColumn<string>(
                name: "totp_secret",
                table: "users",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }
    }
}
