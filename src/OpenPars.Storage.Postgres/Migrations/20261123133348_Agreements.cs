using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OpenPars.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Agreements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "adult_at_booking",
                table: "arrests",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Rows booked before this column existed: 18 or older on the UTC booking date (date + interval moves
            // 29 February to 28 February, as .NET's DateOnly.AddYears does).
            migrationBuilder.Sql(
                "UPDATE arrests SET adult_at_booking = (date_of_birth IS NOT NULL AND " +
                "(date_of_birth + interval '18 years')::date <= (booked_at AT TIME ZONE 'UTC')::date);");

            migrationBuilder.CreateTable(
                name: "agreements",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agreement_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    partner_agency = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "agreement_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agreement_row_id = table.Column<long>(type: "bigint", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    agency_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_agreement_events_agreements_agreement_row_id",
                        column: x => x.agreement_row_id,
                        principalTable: "agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreement_events_agreement_row_id_sequence",
                table: "agreement_events",
                columns: new[] { "agreement_row_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agreements_agreement_id",
                table: "agreements",
                column: "agreement_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_agreements_partner_agency_id",
                table: "agreements",
                columns: new[] { "partner_agency", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_events");

            migrationBuilder.DropTable(
                name: "agreements");

            migrationBuilder.DropColumn(
                name: "adult_at_booking",
                table: "arrests");
        }
    }
}
