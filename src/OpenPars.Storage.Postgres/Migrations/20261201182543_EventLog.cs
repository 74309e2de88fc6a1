using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using OpenPars.Storage.Events;

#nullable disable

namespace OpenPars.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class EventLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false),
                    stream_type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    stream_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false),
                    agency_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    audit_index = table.Column<long>(type: "bigint", nullable: true),
                    hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.position);
                });

            migrationBuilder.CreateIndex(
                name: "ix_events_audit_index_position",
                table: "events",
                columns: new[] { "audit_index", "position" });

            migrationBuilder.CreateIndex(
                name: "ix_events_stream_type_stream_id_version",
                table: "events",
                columns: new[] { "stream_type", "stream_id", "version" },
                unique: true);

            // The old tables' rows, in the order they were recorded (Events/README.md); bound at first start by EventAdoption.
            migrationBuilder.Sql(EventLogMigrationSql.MoveRowsUp);

            migrationBuilder.DropTable(
                name: "agreement_events");

            migrationBuilder.DropTable(
                name: "arrest_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreement_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agency_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    agreement_row_id = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "arrest_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    agency_code = table.Column<string>(type: "text", nullable: false),
                    arrest_id = table.Column<long>(type: "bigint", nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sequence = table.Column<int>(type: "integer", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    user_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_arrest_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_arrest_events_arrests_arrest_id",
                        column: x => x.arrest_id,
                        principalTable: "arrests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreement_events_agreement_row_id_sequence",
                table: "agreement_events",
                columns: new[] { "agreement_row_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_arrest_events_arrest_id_sequence",
                table: "arrest_events",
                columns: new[] { "arrest_id", "sequence" },
                unique: true);

            migrationBuilder.Sql(EventLogMigrationSql.MoveRowsDown);

            migrationBuilder.DropTable(
                name: "events");
        }
    }
}
