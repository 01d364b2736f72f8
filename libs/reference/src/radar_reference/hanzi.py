"""Traditional spellings of simplified Chinese company names.

Hong Kong and Taiwan news (明報, 經濟日報, 鉅亨) writes 騰訊, 寒武紀, 商湯 where the
reference file has 腾讯, 寒武纪, 商汤; a name should match in either script. The table covers
the simplified characters that occur in the reference file's names (a character whose
traditional form depends on the word, like 范 or 斗, is left alone).
"""

_SIMPLIFIED = (
    "万业东丝个为么义乐书买云产仑从众优传体兴凤创动励华厦叠团国图声头娱宝导尔广录恺戏扫扬"
    "据携数术机条标梦横欢欧汇汤沪泽润游澜灵点爱环玛电畅础红纪纳纸线络维网联脑腾艺节苏萝蓝"
    "觉视讯记读谊谱赛跃车轩软辉达远遥门问阅阶际顺飞鱼鲁鹰麦龙哔猫丰亚伟会发吴积矿硕证诗财"
    "资逊银长风马鹏脸苹树蚁蚂洁莱挚杰鸿应来报荣库满"
)
_TRADITIONAL = (
    "萬業東絲個為麼義樂書買雲產侖從眾優傳體興鳳創動勵華廈疊團國圖聲頭娛寶導爾廣錄愷戲掃揚"
    "據攜數術機條標夢橫歡歐匯湯滬澤潤遊瀾靈點愛環瑪電暢礎紅紀納紙線絡維網聯腦騰藝節蘇蘿藍"
    "覺視訊記讀誼譜賽躍車軒軟輝達遠遙門問閱階際順飛魚魯鷹麥龍嗶貓豐亞偉會發吳積礦碩證詩財"
    "資遜銀長風馬鵬臉蘋樹蟻螞潔萊摯傑鴻應來報榮庫滿"
)
_TABLE = str.maketrans(_SIMPLIFIED, _TRADITIONAL)
# Words whose traditional form is not character by character.
_WORDS = {"昆仑": "崑崙"}


def traditional(name: str) -> str:
    """The traditional spelling of a simplified name (the name itself if nothing changes)."""
    for simplified, spelled in _WORDS.items():
        name = name.replace(simplified, spelled)
    return name.translate(_TABLE)
