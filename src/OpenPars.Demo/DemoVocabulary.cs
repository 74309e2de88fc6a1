using OpenPars.Storage;
using OpenPars.Storage.Arrests;

namespace OpenPars.Demo;

/// <summary>The fixed word lists of the demo data: Philadelphia streets and ZIP codes, birthplaces, names Bogus lacks.</summary>
internal static class DemoVocabulary
{
    public const string UnitedStates = "United States";

    public static readonly string[] Streets =
    [
        "Market St", "N Broad St", "S Broad St", "Kensington Ave", "W Allegheny Ave", "E Allegheny Ave", "Germantown Ave",
        "Frankford Ave", "W Lehigh Ave", "E Lehigh Ave", "W Girard Ave", "Spring Garden St", "Walnut St", "Chestnut St",
        "Baltimore Ave", "Woodland Ave", "Lancaster Ave", "Ridge Ave", "Roosevelt Blvd", "Castor Ave", "Oxford Ave",
        "Torresdale Ave", "E Erie Ave", "Hunting Park Ave", "Cecil B. Moore Ave", "W Susquehanna Ave", "W Dauphin St",
        "W York St", "W Cumberland St", "W Huntingdon St", "W Somerset St", "W Indiana Ave", "W Venango St", "W Tioga St",
        "Wyoming Ave", "W Olney Ave", "W Chelten Ave", "Washington Ln", "Stenton Ave", "Ogontz Ave", "Cheltenham Ave",
        "N 52nd St", "S 52nd St", "S 60th St", "N 5th St", "N 2nd St", "E Passyunk Ave", "W Passyunk Ave", "Snyder Ave",
        "Oregon Ave", "Point Breeze Ave", "Tasker St", "Morris St", "Federal St", "South St", "Pine St", "Spruce St",
        "Cottman Ave", "Rhawn St", "Bustleton Ave", "Krewstown Rd", "Aramingo Ave", "Harbison Ave", "Levick St", "Large St",
        "Belmont Ave", "Parkside Ave", "Haverford Ave", "Master St", "Jefferson St", "Diamond St", "Wharton St", "Dickinson St",
    ];

    public static readonly string[] ZipCodes =
    [
        "19102", "19103", "19104", "19106", "19107", "19111", "19114", "19115", "19116", "19118", "19119", "19120", "19121",
        "19122", "19123", "19124", "19125", "19126", "19127", "19128", "19129", "19130", "19131", "19132", "19133", "19134",
        "19135", "19136", "19137", "19138", "19139", "19140", "19141", "19142", "19143", "19144", "19145", "19146", "19147",
        "19148", "19149", "19150", "19151", "19152", "19153", "19154",
    ];

    /// <summary>US birthplaces other than Philadelphia itself, roughly by how often they turn up in a Philadelphia booking.</summary>
    public static readonly (string City, int Weight)[] UsCities =
    [
        ("Philadelphia, PA", 300), ("Camden, NJ", 12), ("Chester, PA", 10), ("Norristown, PA", 6), ("Trenton, NJ", 6),
        ("Wilmington, DE", 6), ("Baltimore, MD", 6), ("Newark, NJ", 5), ("New York, NY", 8), ("Brooklyn, NY", 5),
        ("Pittsburgh, PA", 4), ("Allentown, PA", 4), ("Reading, PA", 4), ("Lancaster, PA", 3), ("Atlanta, GA", 3),
        ("Washington, DC", 3), ("Richmond, VA", 2), ("Charlotte, NC", 2), ("Detroit, MI", 2), ("Chicago, IL", 2),
    ];

    /// <summary>Puerto Rico is the United States: a person born there is US-born.</summary>
    public static readonly string[] PuertoRicanCities = ["San Juan, PR", "Ponce, PR", "Bayamón, PR", "Caguas, PR", "Mayagüez, PR", "Carolina, PR"];

    public static readonly Dictionary<string, string[]> ForeignCities = new()
    {
        ["Mexico"] = ["Puebla", "Ciudad de México", "Oaxaca", "Guadalajara", "Veracruz"],
        ["Dominican Republic"] = ["Santo Domingo", "Santiago de los Caballeros", "San Francisco de Macorís", "La Romana"],
        ["Honduras"] = ["San Pedro Sula", "Tegucigalpa", "La Ceiba"],
        ["Guatemala"] = ["Ciudad de Guatemala", "Quetzaltenango", "Huehuetenango"],
        ["El Salvador"] = ["San Salvador", "San Miguel", "Santa Ana"],
        ["Colombia"] = ["Medellín", "Bogotá", "Barranquilla"],
        ["Jamaica"] = ["Kingston", "Montego Bay", "Spanish Town"],
        ["Haiti"] = ["Port-au-Prince", "Cap-Haïtien", "Les Cayes"],
        ["Liberia"] = ["Monrovia", "Buchanan", "Gbarnga"],
        ["Nigeria"] = ["Lagos", "Ibadan", "Enugu"],
        ["Trinidad and Tobago"] = ["Port of Spain", "San Fernando"],
        ["China"] = ["Fuzhou", "Guangzhou", "Shanghai", "Wenzhou"],
        ["Vietnam"] = ["Hồ Chí Minh City", "Hà Nội", "Đà Nẵng", "Huế"],
        ["India"] = ["Mumbai", "Ahmedabad", "Delhi", "Kolkata"],
        ["Cambodia"] = ["Phnom Penh", "Battambang"],
        ["South Korea"] = ["Seoul", "Busan"],
        ["Ukraine"] = ["Kyiv", "Lviv", "Odesa", "Kharkiv"],
        ["Poland"] = ["Kraków", "Warszawa", "Łódź"],
        ["Russia"] = ["Moscow", "Saint Petersburg"],
        ["Albania"] = ["Tirana", "Durrës"],
        ["Ireland"] = ["Dublin", "Cork"],
        ["Italy"] = ["Napoli", "Palermo"],
    };

    public static readonly string[] AccentedFemale = ["Zoë", "Chloé", "Renée", "Désirée", "Aimée", "Noémie", "Inés", "Mercedes"];
    public static readonly string[] AccentedMale = ["André", "José", "Noël", "Rubén", "Jérôme", "Adrián", "Ángel"];

    // Romanized names for the origins whose Bogus locale writes in another script.
    public static readonly string[] ChineseSurnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin", "Zheng", "Lü"];
    public static readonly string[] ChineseMale = ["Wei", "Jie", "Ming", "Hao", "Lei", "Jun", "Tao", "Qiang", "Bo", "Zhiwei"];
    public static readonly string[] ChineseFemale = ["Mei", "Lan", "Xiu Ying", "Fang", "Jing", "Li Na", "Yan"];
    public static readonly string[] KoreanSurnames = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon"];
    public static readonly string[] KoreanMale = ["Min-jun", "Ji-hoon", "Seo-jun", "Hyun-woo", "Dong-hyun"];
    public static readonly string[] KoreanFemale = ["Ji-woo", "Seo-yeon", "Min-seo", "Ha-eun", "Soo-ah"];
    public static readonly string[] KhmerSurnames = ["Sok", "Chea", "Keo", "Chhay", "Meas", "Prak", "Heng"];
    public static readonly string[] KhmerMale = ["Sophal", "Vannak", "Dara", "Rithy", "Sokha"];
    public static readonly string[] KhmerFemale = ["Sreymom", "Chenda", "Bopha", "Sophea", "Kalliyan"];
    public static readonly string[] UkrainianSurnames = ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko", "Savchuk", "Oliynyk"];
    public static readonly string[] UkrainianMale = ["Oleksandr", "Andriy", "Dmytro", "Serhiy", "Mykola", "Yuriy", "Taras", "Vasyl"];
    public static readonly string[] UkrainianFemale = ["Olena", "Iryna", "Oksana", "Nataliya", "Yuliya", "Tetyana"];
    public static readonly string[] RussianSurnames = ["Ivanov", "Smirnov", "Kuznetsov", "Popov", "Volkov", "Sokolov"];
    public static readonly string[] RussianMale = ["Sergei", "Dmitri", "Alexei", "Ivan", "Nikolai", "Pavel"];
    public static readonly string[] RussianFemale = ["Natalia", "Svetlana", "Yekaterina", "Anastasia", "Olga"];
    public static readonly string[] AlbanianSurnames = ["Hoxha", "Krasniqi", "Gashi", "Berisha", "Shehu", "Dushku"];
    public static readonly string[] AlbanianMale = ["Arben", "Besnik", "Ilir", "Gëzim", "Dritan"];
    public static readonly string[] AlbanianFemale = ["Elira", "Jonida", "Mirela", "Ardita"];

    public static readonly string[] PolishSurnames = ["Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Wiśniewski", "Zieliński"];
    public static readonly string[] PolishMale = ["Łukasz", "Paweł", "Krzysztof", "Tomasz", "Michał", "Grzegorz"];
    public static readonly string[] PolishFemale = ["Agnieszka", "Małgorzata", "Katarzyna", "Joanna", "Zofia"];

    public static readonly string[] Magistrates =
    [
        "Teresa M. Calloway", "Raymond J. Oduya", "Francine Delacroix-Reyes", "Martin P. Kowalczyk", "Lorraine Whitfield", "Hector L. Ibáñez",
    ];

    public static readonly string[] Courtrooms = ["1001", "1003", "1005", "1102", "1104", "306", "404", "405", "502", "506", "604", "705", "801", "905"];

    public static readonly string[] DeclineReasons =
    [
        "Insufficient evidence to proceed.",
        "Lack of probable cause for the arrest.",
        "Complainant unavailable and uncooperative.",
        "Complainant declined to prosecute.",
        "Civil matter; no criminal intent established.",
        "Referred to diversion (AMP) without charges.",
        "Search and seizure issue; evidence would be suppressed.",
        "Charges consolidated into an open case.",
    ];

    public static readonly string[] CommonConditions =
    [
        "Report to Pretrial Services weekly.",
        "Report to Pretrial Services by telephone twice a week.",
        "Drug and alcohol evaluation and treatment as recommended.",
        "Curfew 9 PM to 6 AM.",
        "Electronic monitoring.",
        "Do not possess firearms; surrender any firearms within 24 hours.",
        "No contact with co-defendants.",
        "Remain in Philadelphia County unless permitted by the court.",
        "Maintain or seek employment.",
    ];

    public static readonly string[] VictimConditions =
    [
        "Stay away from the complainant.",
        "No contact with the complainant, directly or through others.",
        "Stay away from the complainant's residence and workplace.",
    ];

    public static readonly string[] DuiConditions = ["Do not drive.", "Ignition interlock if driving is permitted.", "SCRAM alcohol monitoring."];

    public static readonly Dictionary<string, string[]> Narratives = new()
    {
        ["assault"] =
        [
            "Complainant reported being struck during a dispute; officers observed visible injuries and arrested the defendant on location.",
            "Radio call for a person with a weapon; complainant identified the defendant, who was arrested without incident.",
        ],
        ["drugs"] =
        [
            "Officers observed a hand-to-hand transaction; the defendant was found in possession of packets of suspected narcotics.",
            "Search warrant executed at the residence; suspected controlled substances and packaging recovered.",
        ],
        ["theft"] =
        [
            "Store security detained the defendant after merchandise was concealed and carried past the registers.",
            "Complainant reported a stolen vehicle; the defendant was stopped operating it.",
        ],
        ["weapons"] =
        [
            "Defendant stopped following a radio call; a loaded handgun was recovered from the waistband.",
            "Vehicle stop; a firearm was recovered from under the driver's seat. No license to carry produced.",
        ],
        ["dui"] =
        [
            "Vehicle stopped for erratic driving; defendant failed field sobriety tests and was transported for chemical testing.",
            "Crash investigation; the driver showed signs of impairment and consented to a blood test.",
        ],
        ["robbery"] =
        [
            "Complainant reported being robbed at gunpoint; the defendant was apprehended nearby matching the flash description.",
        ],
        ["burglary"] =
        [
            "Alarm call; officers found the rear door forced and the defendant inside the property.",
        ],
        ["homicide"] =
        [
            "Arrest on a warrant obtained by the Homicide Unit; see the investigation report.",
        ],
    };

    public const string DefaultNarrative = "Arrested on location following a radio call; see the investigation report for details.";
}
