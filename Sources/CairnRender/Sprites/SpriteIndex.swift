internal import CairnCore

/// Reads a MapLibre sprite index (`sprite.json`): an object of image name → {width, height, x, y, pixelRatio, sdf}.
enum SpriteIndex {
    /// - Parameters:
    ///   - file: names the file in errors.
    ///   - sheetWidth, sheetHeight: every image must lie inside the sheet.
    static func parse(_ bytes: [UInt8], file: String, sheetWidth: Int, sheetHeight: Int) throws(SpriteError) -> [String: SpriteImage] {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw SpriteError(.malformedJSON, file: file, location: error.location, error.message)
        }
        guard let members = json.objectMembers else {
            throw SpriteError(.invalidIndex, file: file, "expected an object of image name → {width, height, x, y, pixelRatio}, got \(json.abbreviated)")
        }
        var images: [String: SpriteImage] = [:]
        for member in members {
            let path = member.key
            guard member.value.objectMembers != nil else {
                throw SpriteError(.invalidIndex, file: file, location: path, "expected an object {width, height, x, y, pixelRatio}, got \(member.value.abbreviated)")
            }
            func integer(_ key: String, minimum: Int) throws(SpriteError) -> Int {
                guard let value = member.value[key] else {
                    throw SpriteError(.invalidIndex, file: file, location: path + "." + key, "required property missing, expected an integer")
                }
                guard case .number(let n) = value, n.rounded() == n, n >= Double(minimum), n <= 65_535 else {
                    throw SpriteError(.invalidIndex, file: file, location: path + "." + key,
                                      "expected an integer from \(minimum) to 65535, got \(value.abbreviated)")
                }
                return Int(n)
            }
            let width = try integer("width", minimum: 1), height = try integer("height", minimum: 1)
            let x = try integer("x", minimum: 0), y = try integer("y", minimum: 0)
            var ratio = 1.0
            if let value = member.value["pixelRatio"] {
                guard case .number(let n) = value, n > 0, n <= 16 else {
                    throw SpriteError(.invalidIndex, file: file, location: path + ".pixelRatio", "expected a number above 0, got \(value.abbreviated)")
                }
                ratio = n
            }
            var sdf = false
            if let value = member.value["sdf"] {
                guard case .bool(let b) = value else {
                    throw SpriteError(.invalidIndex, file: file, location: path + ".sdf", "expected true or false, got \(value.abbreviated)")
                }
                sdf = b
            }
            guard x + width <= sheetWidth, y + height <= sheetHeight else {
                throw SpriteError(.invalidIndex, file: file, location: path,
                                  "the image (\(width)x\(height) at \(x),\(y)) reaches outside the \(sheetWidth)x\(sheetHeight) sheet")
            }
            images[member.key] = SpriteImage(x: x, y: y, width: width, height: height, pixelRatio: ratio, sdf: sdf)
        }
        return images
    }

    /// The index as MapLibre reads it, names sorted.
    static func json(_ images: [String: SpriteImage]) -> JSONValue {
        .object(images.keys.sorted().map { name in
            let image = images[name]!
            var entry: JSONValue = ["width": JSONValue(image.width), "height": JSONValue(image.height), "x": JSONValue(image.x),
                                    "y": JSONValue(image.y), "pixelRatio": JSONValue(image.pixelRatio)]
            if image.sdf { entry[member: "sdf"] = true }
            return JSONMember(key: name, value: entry)
        })
    }
}
