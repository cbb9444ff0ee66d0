import Foundation
import Testing

@testable import MinyiCore

struct CategorySuggesterTests {
    /// Crafted past decisions: several phrasings per category, as residents write them.
    static let decisions: [CategorySuggester.Example] = {
        let phrasings: [(Category.Code, [String])] = [
            (
                "noise",
                [
                    "楼下烧烤店营业到凌晨噪音很大", "广场舞音响太吵影响休息", "隔壁装修电钻噪音扰民", "夜里KTV声音太大吵得睡不着",
                    "工地晚上施工噪音", "酒吧音乐太吵",
                ]
            ),
            (
                "traffic",
                [
                    "学校门口乱停车堵路", "十字路口红绿灯时间太短", "大货车违停挡住消防通道", "小区门口电动车逆行", "路口没有斑马线过马路危险",
                    "早高峰车辆拥堵希望交警疏导",
                ]
            ),
            (
                "fraud",
                [
                    "接到冒充公检法电话要求转账", "刷单兼职广告是诈骗", "冒充快递理赔短信骗钱", "网上投资理财被骗", "有人冒充客服要验证码",
                    "老人被保健品推销骗钱",
                ]
            ),
            (
                "household",
                [
                    "孩子出生落户需要什么材料", "身份证丢了怎么补办", "户口迁移手续太复杂", "希望户籍窗口周六办理业务", "居住证办理要多久",
                    "身份证到期换领",
                ]
            ),
        ]
        var examples: [CategorySuggester.Example] = []
        for round in 0..<5 {
            for (category, texts) in phrasings {
                for (index, text) in texts.enumerated() where (index + round) % 2 == 0 || round == 0 {
                    examples.append(.init(text: text + ["", "，请尽快处理", "，多次反映了", "，谢谢"][round % 4], category: category))
                }
            }
        }
        return examples
    }()

    @Test func suggestsTheCategoryOfSimilarPastDecisions() {
        let model = CategorySuggester(training: Self.decisions)
        #expect(model.suggest("晚上烧烤店太吵了").first?.category == "noise")
        #expect(model.suggest("学校门口总是乱停车").first?.category == "traffic")
        #expect(model.suggest("有人打电话冒充公安让我转账").first?.category == "fraud")
        #expect(model.suggest("补办身份证要带什么").first?.category == "household")
        let suggestions = model.suggest("楼上装修太吵")
        #expect(suggestions.count == 3)
        #expect(suggestions[0].category == "noise" && suggestions[0].probability > 0.5)
        #expect(suggestions[0].probability >= suggestions[1].probability && suggestions[1].probability >= suggestions[2].probability)
        let all = model.suggest("楼上装修太吵", limit: 10)
        #expect(all.count == 4 && abs(all.map(\.probability).reduce(0, +) - 1) < 1e-9)
    }

    @Test func untrainedModelSuggestsNothing() {
        #expect(CategorySuggester().suggest("任何内容").isEmpty)
    }

    @Test func accuracyIsMeasuredOnHeldOutDecisions() {
        let evaluation = CategorySuggester.evaluate(Self.decisions, holdOutEvery: 5)
        #expect(evaluation.tested == Self.decisions.count / 5)
        #expect(evaluation.trained + evaluation.tested == Self.decisions.count)
        #expect((evaluation.accuracy ?? 0) >= 0.8, "held-out accuracy \(evaluation.accuracy ?? 0)")
        #expect((evaluation.topThreeAccuracy ?? 0) >= (evaluation.accuracy ?? 0))
    }

    @Test func featuresAreCharactersAndBigramsWithinRuns() {
        #expect(CategorySuggester.features(of: "噪音，A1") == ["噪", "音", "噪音", "a", "1", "a1"])
    }
}
